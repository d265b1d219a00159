//! Rendering the IR into Rust source: handlebars templates from `templates/codegen/`, then
//! prettyplease, so the output never depends on the local rustfmt.

use std::path::Path;

use anyhow::{Context, Result};
use handlebars::Handlebars;
use serde::Serialize;

/// The templates, by name; each is `templates/codegen/<name>.rs.hbs`.
const TEMPLATES: &[&str] = &["resource", "struct", "enum", "service_mod", "root_mod"];

/// A handlebars registry with the code generation templates loaded from `dir`.
pub fn registry(dir: &Path) -> Result<Handlebars<'static>> {
    let mut handlebars = Handlebars::new();
    handlebars.set_strict_mode(true);
    handlebars.register_escape_fn(handlebars::no_escape);
    for name in TEMPLATES {
        let path = dir.join(format!("{name}.rs.hbs"));
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        handlebars
            .register_template_string(name, text)
            .with_context(|| format!("parsing template {}", path.display()))?;
    }
    Ok(handlebars)
}

/// Renders `template` with `data`, formats the result and prepends `header`.
pub fn render_rust(handlebars: &Handlebars<'_>, template: &str, data: &impl Serialize, header: &str) -> Result<String> {
    let source = handlebars.render(template, data).with_context(|| format!("rendering template {template}"))?;
    let file = syn::parse_file(&source).map_err(|error| {
        // Keep the unformatted output for inspection: the error has no line numbers.
        let dump = std::env::temp_dir().join(format!("stackwright-codegen-{template}.rs"));
        let _ = std::fs::write(&dump, &source);
        anyhow::anyhow!("template {template} produced invalid Rust ({error}); the output is in {}", dump.display())
    })?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}
