//! How a resource looks: a colour per AWS service (`AWS::ECS::*`, `AWS::IAM::*`…) and a shape
//! per kind of thing (stores are cylinders, permissions hexagons), the same in both formats.

/// A node's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A rounded box: compute, pipelines, everything not listed below.
    Box,
    /// A cylinder: things that hold data (buckets, repositories, log groups, file systems,
    /// keys, tables, queues).
    Cylinder,
    /// A hexagon: identity and access (IAM, policies).
    Hexagon,
    /// A parallelogram in Mermaid, a square-cornered box in DOT: networking (security groups,
    /// load balancers, listeners).
    Parallelogram,
    /// A stadium: events, alarms and notifications.
    Stadium,
}

/// The service of a type name: `AWS::ECS::Service` → `ECS`; a custom or malformed type →
/// its first segment (`Custom::Thing` → `Custom`).
pub fn service_of(type_name: &str) -> &str {
    let mut parts = type_name.split("::");
    match (parts.next(), parts.next()) {
        (Some("AWS" | "Alexa"), Some(service)) if !service.is_empty() => service,
        (Some(first), _) => first,
        (None, _) => type_name,
    }
}

/// Fill and border colours of a service (light fills, so black text stays readable).
/// Services not listed get a colour from a fixed palette chosen by their name's bytes, so the
/// choice is the same on every run.
// invariant: the palette is indexed modulo its length.
pub(crate) fn colours(service: &str) -> (&'static str, &'static str) {
    match service {
        "ECS" => ("#ffe0b2", "#e65100"),
        "ECR" => ("#ffecb3", "#ff8f00"),
        "IAM" => ("#ffcdd2", "#c62828"),
        "KMS" => ("#f8bbd0", "#ad1457"),
        "EC2" => ("#e1bee7", "#6a1b9a"),
        "ElasticLoadBalancingV2" => ("#d1c4e9", "#4527a0"),
        "CodePipeline" | "CodeStarConnections" | "CodeCommit" => ("#bbdefb", "#1565c0"),
        "CodeBuild" => ("#b3e5fc", "#0277bd"),
        "S3" => ("#c8e6c9", "#2e7d32"),
        "EFS" => ("#dcedc8", "#558b2f"),
        "Logs" => ("#f0f4c3", "#9e9d24"),
        "CloudWatch" => ("#fff9c4", "#f9a825"),
        "SNS" | "Events" => ("#ffe0e6", "#d81b60"),
        _ => {
            const PALETTE: [(&str, &str); 6] = [
                ("#e0f2f1", "#00695c"),
                ("#e8eaf6", "#283593"),
                ("#fbe9e7", "#bf360c"),
                ("#f3e5f5", "#7b1fa2"),
                ("#e0f7fa", "#00838f"),
                ("#eceff1", "#37474f"),
            ];
            let sum: usize = service.bytes().map(usize::from).sum();
            PALETTE[sum % PALETTE.len()]
        }
    }
}

/// The shape of a type.
pub fn shape_of(type_name: &str) -> Shape {
    let service = service_of(type_name);
    let kind = type_name.rsplit("::").next().unwrap_or_default();
    match (service, kind) {
        ("IAM", _) | (_, "BucketPolicy" | "TopicPolicy" | "QueuePolicy" | "RepositoryPolicy") => Shape::Hexagon,
        ("S3" | "ECR" | "EFS" | "KMS" | "DynamoDB" | "RDS" | "SQS" | "SecretsManager" | "CodeCommit", _)
        | ("Logs", "LogGroup") => Shape::Cylinder,
        ("EC2" | "ElasticLoadBalancingV2", _) => Shape::Parallelogram,
        ("CloudWatch" | "SNS" | "Events", _) => Shape::Stadium,
        _ => Shape::Box,
    }
}

/// A name made of ASCII letters, digits and `_` only, for class and style names that no
/// format needs to quote.
pub(crate) fn identifier(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_and_shapes() {
        assert_eq!(service_of("AWS::ECS::Service"), "ECS");
        assert_eq!(service_of("Custom::Thing"), "Custom");
        assert_eq!(service_of("AWS::"), "AWS");
        assert_eq!(shape_of("AWS::IAM::Role"), Shape::Hexagon);
        assert_eq!(shape_of("AWS::S3::BucketPolicy"), Shape::Hexagon);
        assert_eq!(shape_of("AWS::S3::Bucket"), Shape::Cylinder);
        assert_eq!(shape_of("AWS::Logs::LogGroup"), Shape::Cylinder);
        assert_eq!(shape_of("AWS::ECS::Service"), Shape::Box);
        assert_eq!(identifier("a b::C-1"), "a_b__C_1");
        assert_eq!(colours("Foo"), colours("Foo"));
    }
}
