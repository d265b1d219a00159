//! CodeBuild privileged mode (root on the build host's Docker daemon) only for builds that
//! build container images.

use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::{boolean, property, resources_of};

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, project, at) in resources_of(template, "AWS::CodeBuild::Project") {
        if property(project, &["Environment", "PrivilegedMode"]).and_then(boolean) != Some(true) {
            continue;
        }
        // Only an inline buildspec can be read; a file name (`buildspec.yml`) lives in the source.
        let Some(Json::String(buildspec)) = property(project, &["Source", "BuildSpec"]) else { continue };
        let is_file = !buildspec.contains('\n')
            && std::path::Path::new(buildspec.trim())
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"));
        if is_file || builds_image(buildspec) {
            continue;
        }
        let message = "PrivilegedMode is true but the inline buildspec runs no `docker build` or `docker buildx`; expected PrivilegedMode false (it gives the build root on the host's Docker daemon)";
        out.push(
            Finding::new(
                "codebuild/privileged-without-image-build",
                format!("{at}/Environment/PrivilegedMode"),
                message,
            )
            .about(id.as_str()),
        );
    }
}

/// Whether a buildspec runs `docker build` or `docker buildx` (any spacing).
fn builds_image(buildspec: &str) -> bool {
    let words: Vec<&str> =
        buildspec.split(|c: char| c.is_whitespace() || c == '"' || c == '\'').filter(|w| !w.is_empty()).collect();
    words.windows(2).any(|w| matches!(w, ["docker", "build" | "buildx"]))
}

#[cfg(test)]
mod tests {
    use super::builds_image;

    #[test]
    fn recognises_image_builds() {
        assert!(builds_image("- docker build -t x ."));
        assert!(builds_image("- docker  buildx build --push ."));
        assert!(!builds_image("- docker push x"));
        assert!(!builds_image("- cargo build"));
    }
}
