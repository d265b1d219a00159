//! What the end-to-end tests of the `stackwright` binary share.
#![allow(dead_code)] // each test file uses its own part

use std::path::Path;
use std::process::{Command, Output};

pub(crate) fn stackwright(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackwright")).args(args).current_dir(cwd).output().unwrap()
}

/// The warning for a template of `size` bytes: pretty-printed, the seed template is past
/// CloudFormation's inline limit, and synth says so while writing it anyway.
pub(crate) fn size_warning(size: u64) -> String {
    format!(
        "the template body is {size} bytes, over the 51200 accepted inline: deploy it through an S3 upload (TemplateURL)"
    )
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}
