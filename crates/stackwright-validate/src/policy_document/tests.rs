use serde_json::{Value, json};

fn found(type_name: &str, properties: &Value) -> Vec<String> {
    let template = json!({"Resources": {"R": {"Type": type_name, "Properties": properties}}});
    crate::validate_source(&template.to_string())
        .findings
        .into_iter()
        .filter(|f| f.rule == "iam/policy-document")
        .map(|f| f.pointer)
        .collect()
}

fn managed(statement: &Value) -> Value {
    json!({"PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}})
}

#[test]
fn identity_statements() {
    let good = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"});
    assert_eq!(found("AWS::IAM::ManagedPolicy", &managed(&good)), Vec::<String>::new());
    let at = "/Resources/R/Properties/PolicyDocument/Statement/0";
    let bad = json!({"Effect": "Permit", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "bucket",
        "Principal": "*", "Extra": 1});
    assert_eq!(
        found("AWS::IAM::ManagedPolicy", &managed(&bad)),
        [
            format!("{at}/Effect"),
            format!("{at}/Extra"),
            format!("{at}/NotAction"),
            format!("{at}/Principal"),
            format!("{at}/Resource"),
        ]
    );
    let branches =
        json!({"Fn::If": ["C", {"Effect": "Allow", "Action": "s3:*", "Resource": ["Param"]}, {"Ref": "AWS::NoValue"}]});
    assert_eq!(found("AWS::IAM::ManagedPolicy", &managed(&branches)), [format!("{at}/Fn::If/1/Resource/0")]);
}

#[test]
fn resource_and_trust_policies_name_principals() {
    let bucket = json!({"Bucket": "b", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}});
    assert_eq!(found("AWS::S3::BucketPolicy", &bucket), ["/Resources/R/Properties/PolicyDocument/Statement/0"]);
    let repository = json!({"RepositoryPolicyText": {"Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::1:root", "Action": "ecr:*"}]}});
    assert_eq!(
        found("AWS::ECR::Repository", &repository),
        ["/Resources/R/Properties/RepositoryPolicyText/Statement/0/Principal"]
    );
    let role = |document: Value| json!({"AssumeRolePolicyDocument": document});
    assert_eq!(found("AWS::IAM::Role", &role(json!({}))), ["/Resources/R/Properties/AssumeRolePolicyDocument"]);
    let trust = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    assert_eq!(found("AWS::IAM::Role", &role(trust)), Vec::<String>::new());
    assert_eq!(found("AWS::IAM::Role", &role(json!({"Fn::If": ["C", {}, {}]}))), Vec::<String>::new());
}
