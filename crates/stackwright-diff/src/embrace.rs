//! The "deadly embrace" between stacks: CloudFormation refuses to remove (or rename) an
//! export while any deployed stack imports it. Across two sets of stacks, each removed export
//! that a deployed stack imports is reported with the order that deploys: the importer first
//! (without the import), then the exporter.

use std::fmt;

use stackwright_template::Template;

/// An export a stack removes while a deployed stack imports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BlockedExport {
    /// The stack that writes the export (old side) and no longer does (new side).
    pub exporter: String,
    /// The export name.
    pub export: String,
    /// A stack that imports it in the old (deployed) set.
    pub importer: String,
    /// Whether the importer still imports it in the new set: then no order deploys the change.
    pub still_imported: bool,
}

impl fmt::Display for BlockedExport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { exporter, export, importer, .. } = self;
        if self.still_imported {
            write!(
                f,
                "stack {exporter} removes export {export}, which stack {importer} still imports: CloudFormation \
                 refuses to remove an export in use; remove the import from {importer} first, deploy {importer}, \
                 then remove the export from {exporter}"
            )
        } else {
            write!(
                f,
                "stack {exporter} removes export {export}, which the deployed stack {importer} imports: deploy \
                 {importer} (it drops the import) before {exporter}, or {exporter}'s update fails"
            )
        }
    }
}

/// Every export removed between `old` and `new` (stacks matched by name) that a stack of
/// `old` imports, sorted by exporter, export and importer.
pub fn blocked_exports(old: &[(String, Template)], new: &[(String, Template)]) -> Vec<BlockedExport> {
    let mut out = Vec::new();
    for (exporter, before) in old {
        let after = new.iter().find(|(n, _)| n == exporter).map(|(_, t)| t.export_names()).unwrap_or_default();
        for export in before.export_names().difference(&after) {
            for (importer, deployed) in old {
                if importer == exporter || !deployed.imported_names().contains(export) {
                    continue;
                }
                let still_imported = new.iter().any(|(n, t)| n == importer && t.imported_names().contains(export));
                out.push(BlockedExport {
                    exporter: exporter.clone(),
                    export: export.clone(),
                    importer: importer.clone(),
                    still_imported,
                });
            }
        }
    }
    out.sort();
    out
}
