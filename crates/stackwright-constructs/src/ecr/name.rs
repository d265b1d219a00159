//! ECR repository names, checked against the `RepositoryName` rules of the vendored schema.

/// Whether `name` matches the schema's `RepositoryName` rules: 2 to 256 characters, and the
/// pattern `^(?=.{2,256}$)([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*)$`
/// (schemas/aws-ecr-repository.json): `/`-separated components of lowercase letters and digits,
/// joined inside a component by `.`, `_`, `__` or any run of `-`.
pub(crate) fn is_valid_repository_name(name: &str) -> bool {
    (2..=256).contains(&name.len()) && name.split('/').all(valid_component)
}

fn valid_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    let mut previous_was_alnum = false;
    while let Some(&byte) = bytes.get(i) {
        if alnum(byte) {
            previous_was_alnum = true;
            i += 1;
            continue;
        }
        // A separator must follow a letter or digit and be followed by one.
        if !previous_was_alnum {
            return false;
        }
        let run = match byte {
            b'_' if bytes.get(i + 1) == Some(&b'_') => 2,
            b'.' | b'_' => 1,
            b'-' => bytes.iter().skip(i).take_while(|&&b| b == b'-').count(),
            _ => return false,
        };
        i += run;
        previous_was_alnum = false;
        if !bytes.get(i).is_some_and(|&b| alnum(b)) {
            return false;
        }
    }
    previous_was_alnum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_schema_pattern() {
        for ok in ["ab", "app", "team/app", "a.b", "a_b", "a__b", "a---b", "project-a/nginx-web-app", "a1/b2/c3"] {
            assert!(is_valid_repository_name(ok), "{ok}");
        }
        let too_long = "a".repeat(257);
        for bad in ["a", "App", "-a", "a-", "a___b", "a..b", "a/", "/a", "a//b", "a_-b", "a b", too_long.as_str()] {
            assert!(!is_valid_repository_name(bad), "{bad}");
        }
    }
}
