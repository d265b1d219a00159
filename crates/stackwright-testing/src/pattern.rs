//! [`pattern!`](crate::pattern!): JSON patterns with matchers inside them.

/// A pattern written like `serde_json::json!`, where any value may also be a matcher
/// ([`Match`](crate::Match)), a [`Capture`](crate::Capture) or any expression that converts
/// into a [`Matcher`](crate::Matcher) (strings, numbers, booleans, `json!` values).
///
/// Keys are string literals. Plain objects take the mode of where they sit: subsets inside
/// `object_like` (and at the top of `has_resource_properties`), exact inside `exact`.
///
/// ```
/// use serde_json::json;
/// use stackwright_testing::{Match, pattern};
///
/// let statement = pattern!({
///     "Effect": "Allow",
///     "Action": Match::array_with(["ecr:BatchGetImage"]),
///     "Resource": {"Fn::GetAtt": ["Repository", "Arn"]},
///     "Condition": Match::absent(),
/// });
/// let value = json!({"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage"],
///     "Resource": {"Fn::GetAtt": ["Repository", "Arn"]}});
/// assert!(statement.matches(&value));
/// ```
#[macro_export]
macro_rules! pattern {
    // Object entries, one at a time: a nested object, a nested array, or an expression.
    (@object [$($done:expr,)*]) => {
        $crate::Matcher::object(::std::vec![$($done,)*])
    };
    (@object [$($done:expr,)*] $key:literal : { $($value:tt)* } $(, $($rest:tt)*)?) => {
        $crate::pattern!(@object [$($done,)* ($key, $crate::pattern!({ $($value)* })),] $($($rest)*)?)
    };
    (@object [$($done:expr,)*] $key:literal : [ $($value:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::pattern!(@object [$($done,)* ($key, $crate::pattern!([ $($value)* ])),] $($($rest)*)?)
    };
    (@object [$($done:expr,)*] $key:literal : $value:expr $(, $($rest:tt)*)?) => {
        $crate::pattern!(@object [$($done,)* ($key, $crate::Matcher::from($value)),] $($($rest)*)?)
    };
    // Array elements, the same way.
    (@array [$($done:expr,)*]) => {
        $crate::Matcher::array(::std::vec![$($done,)*])
    };
    (@array [$($done:expr,)*] { $($value:tt)* } $(, $($rest:tt)*)?) => {
        $crate::pattern!(@array [$($done,)* $crate::pattern!({ $($value)* }),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] [ $($value:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::pattern!(@array [$($done,)* $crate::pattern!([ $($value)* ]),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] $value:expr $(, $($rest:tt)*)?) => {
        $crate::pattern!(@array [$($done,)* $crate::Matcher::from($value),] $($($rest)*)?)
    };
    ({ $($entries:tt)* }) => {
        $crate::pattern!(@object [] $($entries)*)
    };
    ([ $($elements:tt)* ]) => {
        $crate::pattern!(@array [] $($elements)*)
    };
    ($value:expr) => {
        $crate::Matcher::from($value)
    };
}
