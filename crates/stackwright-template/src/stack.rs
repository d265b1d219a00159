//! Stacks and apps: named templates, the unit `synth` writes.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::Error;
use crate::template::Template;

/// A CloudFormation stack name: a letter, then letters, digits and hyphens; at most 128.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StackName(String);

impl StackName {
    /// Validates `name`.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let reason = if name.is_empty() {
            Some("it is empty")
        } else if name.len() > 128 {
            Some("it is longer than 128 characters")
        } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            Some("it must start with a letter")
        } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            Some("only ASCII letters, digits and hyphens are allowed")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(Error::InvalidStackName { name, reason }),
            None => Ok(Self(name)),
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StackName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A named template.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    /// The stack name (also the output file name).
    pub name: StackName,
    /// Its template.
    pub template: Template,
}

/// The stacks an app synthesizes, sorted by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct App {
    stacks: BTreeMap<StackName, Template>,
}

impl App {
    /// An app with no stacks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a stack; a second stack of the same name is an error.
    pub fn add_stack(&mut self, name: StackName, template: Template) -> Result<(), Error> {
        if self.stacks.contains_key(&name) {
            return Err(Error::DuplicateStackName { name: name.as_str().to_owned() });
        }
        self.stacks.insert(name, template);
        Ok(())
    }

    /// Adds a stack (builder form).
    pub fn with_stack(mut self, stack: Stack) -> Result<Self, Error> {
        self.add_stack(stack.name, stack.template)?;
        Ok(self)
    }

    /// The stacks, sorted by name.
    pub fn stacks(&self) -> impl ExactSizeIterator<Item = (&StackName, &Template)> {
        self.stacks.iter()
    }

    /// One stack's template.
    pub fn stack(&self, name: &str) -> Option<&Template> {
        self.stacks.iter().find(|(n, _)| n.as_str() == name).map(|(_, t)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_names_follow_cloudformation_rules() {
        assert!(StackName::new("seed-pipeline-1").is_ok());
        for (bad, why) in [
            ("", "it is empty"),
            ("1stack", "it must start with a letter"),
            ("my_stack", "only ASCII letters, digits and hyphens are allowed"),
        ] {
            assert_eq!(StackName::new(bad), Err(Error::InvalidStackName { name: bad.into(), reason: why }));
        }
        assert!(StackName::new("a".repeat(129)).is_err());
    }

    #[test]
    fn duplicate_stacks_are_rejected() {
        let mut app = App::new();
        app.add_stack(StackName::new("a").unwrap(), Template::new()).unwrap();
        let err = app.add_stack(StackName::new("a").unwrap(), Template::new()).unwrap_err();
        assert_eq!(err.to_string(), "duplicate stack name \"a\": every stack of an app needs its own name");
    }
}
