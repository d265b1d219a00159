//! The cost of the registry: a type's first use (inflate its entry, parse its facts, compile
//! its schema), for the 23 types of the seed template, and a cached lookup.
//!
//! `cargo bench -p stackwright-registry` (figures in docs/PERFORMANCE.md).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

/// The resource types of the seed template (`cargo run -- synth`).
const SEED: [&str; 23] = [
    "AWS::CloudWatch::Alarm",
    "AWS::CodeBuild::Project",
    "AWS::CodePipeline::Pipeline",
    "AWS::CodeStarConnections::Connection",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::ECR::Repository",
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::Events::Rule",
    "AWS::IAM::Role",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::SNS::Subscription",
    "AWS::SNS::Topic",
    "AWS::SNS::TopicPolicy",
];

fn first_use(c: &mut Criterion) {
    c.bench_function("first use of the 23 seed types (inflate, facts, compile)", |b| {
        b.iter(|| {
            for name in SEED {
                black_box(stackwright_registry::load_uncached(black_box(name)).expect("a registry type"));
            }
        });
    });
    c.bench_function("inflate only, the 23 seed types", |b| {
        b.iter(|| {
            for name in SEED {
                black_box(stackwright_registry::entry_text(black_box(name)).expect("listed").expect("inflates"));
            }
        });
    });
    c.bench_function("first use of every registry type", |b| {
        let names: Vec<&str> = stackwright_registry::type_names().collect();
        b.iter(|| {
            for name in &names {
                black_box(stackwright_registry::load_uncached(black_box(name)));
            }
        });
    });
}

fn cached(c: &mut Criterion) {
    for name in SEED {
        assert!(stackwright_registry::schema(name).is_some());
    }
    c.bench_function("cached facts and schema of the 23 seed types", |b| {
        b.iter(|| {
            for name in SEED {
                black_box(stackwright_registry::facts(black_box(name)));
                black_box(stackwright_registry::schema(black_box(name)));
            }
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = first_use, cached
}
criterion_main!(benches);
