//! The checked-in `stackwright-cfn/src/generated/` is what the generator renders now.

use stackwright_codegen::{Paths, STALE_MESSAGE, check};

#[test]
fn generated_code_is_fresh() {
    if let Some(diff) = check(&Paths::workspace()).expect("the generator runs") {
        panic!("{diff}\n{STALE_MESSAGE}");
    }
}

#[test]
fn rendering_is_deterministic() {
    let paths = Paths::workspace();
    let (first, _) = stackwright_codegen::render_all(&paths).expect("renders");
    let (second, _) = stackwright_codegen::render_all(&paths).expect("renders");
    assert_eq!(first, second);
}
