//! Each tool's verdict against the judge's: the classes, the figures and the causes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::judge::{Judgement, Verdict};

/// How a tool's verdict on one resource compares with the judge's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    Right,
    /// Higher than the judge's (replace where it is an update, update where nothing changes).
    FalseAlarm,
    /// `may_replace` where the judge finds the replacement certain.
    Hedged,
    /// Lower than the judge's.
    Missed,
    /// The tool could not read the pair (or printed an impact it does not document).
    Refused,
    /// The judge cannot decide (no registry schema, a condition that changed): not counted.
    Undecided,
}

impl Class {
    pub(crate) const ALL: [Class; 6] =
        [Class::Right, Class::FalseAlarm, Class::Hedged, Class::Missed, Class::Refused, Class::Undecided];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::Right => "right",
            Class::FalseAlarm => "false alarm",
            Class::Hedged => "hedged",
            Class::Missed => "missed",
            Class::Refused => "refused",
            Class::Undecided => "undecided",
        }
    }
}

/// A tool's verdict on a resource: `None` when the pair was refused.
pub(crate) type ToolVerdict = Option<Result<Verdict, String>>;

/// The class of `tool`'s verdict, the judge's being `judge`.
pub(crate) fn classify(tool: &ToolVerdict, judge: &Judgement) -> Class {
    let Some(Ok(tool)) = tool else { return Class::Refused };
    let Some(judge) = judge.verdict else { return Class::Undecided };
    // Created, orphaned and destroyed resources are not on the replacement scale: a new
    // physical resource sits just above a replacement, losing one above that.
    if *tool == judge {
        Class::Right
    } else if *tool == Verdict::MayReplace && judge == Verdict::Replace {
        Class::Hedged
    } else if *tool > judge {
        Class::FalseAlarm
    } else {
        Class::Missed
    }
}

/// One judged resource of one pair.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) pair: Value,
    pub(crate) resource: String,
    pub(crate) resource_type: String,
    pub(crate) judge: Judgement,
    pub(crate) ours: ToolVerdict,
    pub(crate) our_reasons: Vec<String>,
    pub(crate) cdk: ToolVerdict,
}

impl Row {
    pub(crate) fn ours_class(&self) -> Class {
        classify(&self.ours, &self.judge)
    }

    pub(crate) fn cdk_class(&self) -> Class {
        classify(&self.cdk, &self.judge)
    }

    pub(crate) fn to_json(&self) -> Value {
        let verdict = |v: &ToolVerdict| match v {
            None => "refused".to_owned(),
            Some(Ok(v)) => v.name().to_owned(),
            Some(Err(raw)) => format!("unknown impact {raw}"),
        };
        json!({
            "pair": self.pair,
            "resource": self.resource,
            "type": self.resource_type,
            "judge": self.judge.verdict.map_or("undecided", Verdict::name),
            "judge_reason": self.judge.reason,
            "ours": verdict(&self.ours),
            "our_reasons": self.our_reasons,
            "cdk": verdict(&self.cdk),
            "ours_class": self.ours_class().name(),
            "cdk_class": self.cdk_class().name(),
        })
    }
}

/// Counts per class.
pub(crate) fn counts(rows: &[Row], class: impl Fn(&Row) -> Class) -> BTreeMap<Class, usize> {
    let mut out: BTreeMap<Class, usize> = Class::ALL.iter().map(|c| (*c, 0)).collect();
    for row in rows {
        *out.entry(class(row)).or_default() += 1;
    }
    out
}

/// The judge's reason without its property path: a cause's shape.
fn reason_shape(reason: &str) -> String {
    reason
        .split(" (reads ")
        .next()
        .unwrap_or_default()
        .split(' ')
        .map(|w| {
            if w.starts_with('/') {
                "/…"
            } else if w.contains("::") {
                "TYPE"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Our disagreements grouped by what they have in common, largest first, with one example.
pub(crate) fn causes(rows: &[Row]) -> Vec<(String, usize, String, Row)> {
    let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        let class = row.ours_class();
        if matches!(class, Class::Right | Class::Undecided) {
            continue;
        }
        let ours = match &row.ours {
            None => "refused".to_owned(),
            Some(Ok(v)) => v.name().to_owned(),
            Some(Err(raw)) => format!("unknown {raw}"),
        };
        let judge = row.judge.verdict.map_or("undecided", Verdict::name);
        let key = format!(
            "{}: ours {ours} [{}], judge {judge} ({})",
            class.name(),
            row.our_reasons.join(", "),
            reason_shape(&row.judge.reason)
        );
        groups.entry(key).or_default().push(row);
    }
    let mut out: Vec<(String, usize, String, Row)> = groups
        .into_iter()
        .map(|(key, rows)| {
            let mut types: BTreeMap<&str, usize> = BTreeMap::new();
            for row in &rows {
                *types.entry(&row.resource_type).or_default() += 1;
            }
            let mut types: Vec<_> = types.into_iter().collect();
            types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = types.iter().take(4).map(|(t, n)| format!("{t} {n}")).collect();
            (key, rows.len(), top.join(", "), rows[0].clone())
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// A deterministic "random" sample of `n` rows where a tool disagrees with the judge.
pub(crate) fn sample(rows: &[Row], n: usize) -> Vec<Row> {
    let mut disagreements: Vec<(Vec<u8>, &Row)> = rows
        .iter()
        .filter(|r| {
            let wrong = |c: Class| matches!(c, Class::FalseAlarm | Class::Hedged | Class::Missed);
            wrong(r.ours_class()) || wrong(r.cdk_class())
        })
        .map(|r| {
            let mut hasher = Sha256::new();
            hasher.update(b"diff-corpus sample\0");
            hasher.update(r.pair["id"].as_str().unwrap_or_default().as_bytes());
            hasher.update([0]);
            hasher.update(r.resource.as_bytes());
            (hasher.finalize().to_vec(), r)
        })
        .collect();
    disagreements.sort_by(|a, b| a.0.cmp(&b.0));
    disagreements.into_iter().take(n).map(|(_, r)| r.clone()).collect()
}

/// The median of some times, in milliseconds.
pub(crate) fn median(times: impl IntoIterator<Item = f64>) -> f64 {
    let mut times: Vec<f64> = times.into_iter().collect();
    times.sort_by(f64::total_cmp);
    match times.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => times[n / 2],
        n => f64::midpoint(times[n / 2 - 1], times[n / 2]),
    }
}

/// The figures as a Markdown table.
pub(crate) fn table(
    ours: &BTreeMap<Class, usize>,
    cdk: &BTreeMap<Class, usize>,
    refused_pairs: (usize, usize),
) -> String {
    let mut out = String::from(
        "| | right | false alarm (too high) | hedged (may_replace where replacement is certain) | missed (too low) | refusals: pairs (resources) | undecided by the judge |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (name, counts, pairs) in [("stackwright", ours, refused_pairs.0), ("CDK", cdk, refused_pairs.1)] {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {pairs} ({}) | {} |",
            counts[&Class::Right],
            counts[&Class::FalseAlarm],
            counts[&Class::Hedged],
            counts[&Class::Missed],
            counts[&Class::Refused],
            counts[&Class::Undecided]
        );
    }
    out
}
