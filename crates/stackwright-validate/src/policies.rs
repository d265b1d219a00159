//! `DeletionPolicy` and `UpdateReplacePolicy` computed by an intrinsic function: valid only
//! under the `AWS::LanguageExtensions` transform, which resolves them before the stack
//! operation. (Literal values are checked when the template is parsed: a value outside
//! `Delete`, `Retain`, `RetainExceptOnCreate` and `Snapshot` — `Delete`, `Retain` and
//! `Snapshot` for `UpdateReplacePolicy` — is a `template/parse` error naming the allowed ones.)

use stackwright_template::{Json, PolicyValue, Template};

use crate::finding::Finding;
use crate::json::{pointer, show};

/// The transform that lets intrinsic functions compute these attributes.
pub(crate) const LANGUAGE_EXTENSIONS: &str = "AWS::LanguageExtensions";

/// Whether the template's `Transform` (a name, or a list of names) includes `name`.
pub(crate) fn has_transform(template: &Template, name: &str) -> bool {
    match template.other_sections.get("Transform") {
        Some(Json::String(one)) => one == name,
        Some(Json::Array(names)) => names.iter().any(|n| n.as_str() == Some(name)),
        _ => false,
    }
}

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    if has_transform(template, LANGUAGE_EXTENSIONS) {
        // The transform resolves the functions; what they resolve to is judged after it runs.
        return;
    }
    for (id, resource) in template.resources() {
        let at = pointer("/Resources", id.as_str());
        let computed = [
            ("DeletionPolicy", computed(resource.deletion_policy.as_ref())),
            ("UpdateReplacePolicy", computed(resource.update_replace_policy.as_ref())),
        ];
        for (attribute, value) in computed {
            if let Some(value) = value {
                let message = format!(
                    "{attribute} is computed by a function ({}); CloudFormation accepts that only with \
                     \"Transform\": \"{LANGUAGE_EXTENSIONS}\", otherwise write the policy itself",
                    show(value)
                );
                out.push(
                    Finding::new("transform/language-extensions-required", pointer(&at, attribute), message)
                        .about(id.as_str()),
                );
            }
        }
    }
}

fn computed<P>(value: Option<&PolicyValue<P>>) -> Option<&Json> {
    match value? {
        PolicyValue::Computed(json) => Some(json),
        PolicyValue::Literal(_) => None,
    }
}
