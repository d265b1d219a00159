//! Reading what can be read of a template that breaks a rule: `diff` must show the change
//! between two deployed templates even when one holds a value CloudFormation would not take
//! in a new template (or that our model cannot hold), and say what it left out.

use crate::error::Error;
use crate::pointer::unescape;
use crate::template::Template;
use crate::value::Json;

/// The most values left out of one template before it is refused: past this, the file is
/// probably not a template at all, and each retry re-reads it whole.
pub const MAX_LEFT_OUT: usize = 100;

/// A value left out of a template by [`Template::from_json_salvaging`]: where it is and the
/// rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The JSON pointer of the value left out (`/Resources/Queue/DependsOn/1`).
    pub pointer: String,
    /// The rule it breaks, as [`Template::from_json`] words it.
    pub message: String,
}

impl Template {
    /// Parses a template as [`Template::from_json_lenient`] does, leaving out each value that
    /// breaks a rule — an attribute, a list item, an entry, a section other than `Resources` —
    /// and listing it, instead of refusing the whole file. Refused still: a document that is
    /// not an object, has no `Resources` object, or has more than [`MAX_LEFT_OUT`] such values.
    pub fn from_json_salvaging(json: &Json) -> Result<(Self, Vec<LeftOut>), Error> {
        let mut left_out = Vec::new();
        let mut salvaged: Option<Json> = None;
        loop {
            let error = match Self::parse(salvaged.as_ref().unwrap_or(json), true) {
                Ok(template) => return Ok((template, left_out)),
                Err(error) => error,
            };
            let Error::Parse { pointer, message } = &error else { return Err(error) };
            if left_out.len() >= MAX_LEFT_OUT || !removable(pointer) {
                return Err(error);
            }
            let document = salvaged.get_or_insert_with(|| json.clone());
            if !remove(document, pointer) {
                return Err(error);
            }
            left_out.push(LeftOut { pointer: pointer.clone(), message: message.clone() });
        }
    }
}

/// Whether the value at `pointer` can be left out and the rest still be a template: anything
/// inside a section, or a whole section other than `Resources`.
fn removable(pointer: &str) -> bool {
    let mut segments = pointer.split('/').skip(1);
    !matches!((segments.next(), segments.next()), (None, _) | (Some("Resources"), None))
}

/// Removes the value at `pointer` from its object or list; false when nothing is there.
fn remove(document: &mut Json, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return false };
    let mut at = document;
    for segment in parent.split('/').skip(1) {
        let key = unescape(segment);
        let next = match at {
            Json::Object(map) => map.get_mut(key.as_ref()),
            Json::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        let Some(next) = next else { return false };
        at = next;
    }
    let key = unescape(last);
    match at {
        Json::Object(map) => map.remove(key.as_ref()).is_some(),
        Json::Array(items) => match key.parse::<usize>() {
            Ok(index) if index < items.len() => {
                items.remove(index);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn salvage(json: &Json) -> (Template, Vec<(String, String)>) {
        let (template, left_out) = Template::from_json_salvaging(json).expect("salvaged");
        (template, left_out.into_iter().map(|l| (l.pointer, l.message)).collect())
    }

    #[test]
    fn a_well_formed_template_loses_nothing() {
        let json = json!({"Conditions": {"Use-Cmk": {"Fn::Equals": ["a", "b"]}},
            "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Condition": "Use-Cmk"}}});
        let (template, left_out) = salvage(&json);
        assert!(left_out.is_empty());
        assert_eq!(template, Template::from_json_lenient(&json).expect("lenient"));
    }

    #[test]
    fn each_broken_value_is_left_out_and_named() {
        let json = json!({
            "Parameters": {"Env": {"Type": "String", "MinLength": -1}, "Ok": {"Type": "String"}},
            "Resources": {
                "Queue": {"Type": "AWS::SQS::Queue", "DependsOn": ["Topic", 7], "Properties": {"DelaySeconds": 5}},
                "Topic": {"Type": "AWS::SNS::Topic"},
                "NoType": {"Properties": {}}
            },
            "Outputs": []
        });
        let (template, left_out) = salvage(&json);
        let mut pointers: Vec<&str> = left_out.iter().map(|(p, _)| p.as_str()).collect();
        pointers.sort_unstable();
        assert_eq!(
            pointers,
            ["/Outputs", "/Parameters/Env/MinLength", "/Resources/NoType", "/Resources/Queue/DependsOn/1"]
        );
        let depends_on = left_out.iter().find(|(p, _)| p.ends_with("DependsOn/1")).map(|(_, m)| m.as_str());
        assert!(depends_on.is_some_and(|m| m.contains("expected a string")), "{left_out:?}");
        assert_eq!(template.resources.len(), 2);
        assert_eq!(template.parameters.len(), 2, "the parameter stays, without its broken attribute");
        let queue = template.resources.iter().find(|(id, _)| id.as_str() == "Queue").map(|(_, r)| r);
        assert_eq!(queue.map(|r| r.depends_on.len()), Some(1));
    }

    #[test]
    fn metadata_that_is_not_an_object_is_kept_as_written() {
        let json = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Metadata": ["a", "b"]}}});
        let (template, left_out) = salvage(&json);
        assert!(left_out.is_empty());
        let queue = template.resources.values().next().expect("one resource");
        assert_eq!(queue.other_attributes.get("Metadata"), Some(&json!(["a", "b"])));
        assert!(Template::from_json(&json).is_err(), "the strict reader still refuses it");
    }

    #[test]
    fn what_is_no_template_is_still_refused() {
        for json in [json!([]), json!({"Resources": []}), json!({"Parameters": {}})] {
            assert!(Template::from_json_salvaging(&json).is_err(), "{json}");
        }
        let many: serde_json::Map<String, Json> =
            (0..=MAX_LEFT_OUT).map(|i| (format!("R{i}"), json!({"Properties": {}}))).collect();
        let error = Template::from_json_salvaging(&json!({"Resources": many})).expect_err("too many");
        assert!(error.to_string().contains("needs a Type"), "{error}");
    }
}
