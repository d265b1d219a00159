//! The allowlist of fixtures on which we do not agree with cfn-lint today, each under the cause
//! it shares with others:
//!
//! ```text
//! # comment
//! [miss] not yet implemented: the format of AWS ids (vpc-…, sg-…, ami-…), cfn-lint E1150-E1152
//! good/mappings/used.yaml      E1151 Resources/mySubnet: 'vpc-123456'
//! bad/mappings/used.yaml
//!
//! [cloudformation-rejects] CloudFormation requires at least one resource; cfn-lint does not check it
//! good/mappings/name.yaml
//! ```
//!
//! A `[kind] reason` line opens a group; each following non-blank line names one fixture
//! (relative to cfn-lint's `test/fixtures/templates/`), optionally followed by a note. The kinds:
//! `miss` and `wrong-rejection` are ours to fix; `cloudformation-accepts` (cfn-lint's error is
//! not something CloudFormation rejects) and `cloudformation-rejects` (we are right and cfn-lint
//! misses it) are differences we keep. The list must stay exact: a fixture it names must exist,
//! disagree with cfn-lint, and in the direction of its kind.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};

use super::compare::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Miss,
    CloudFormationAccepts,
    WrongRejection,
    CloudFormationRejects,
}

impl Kind {
    pub(crate) const ALL: [Kind; 4] =
        [Kind::Miss, Kind::CloudFormationAccepts, Kind::WrongRejection, Kind::CloudFormationRejects];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Miss => "miss",
            Kind::CloudFormationAccepts => "cloudformation-accepts",
            Kind::WrongRejection => "wrong-rejection",
            Kind::CloudFormationRejects => "cloudformation-rejects",
        }
    }

    /// The disagreement a fixture of this kind shows.
    pub(crate) fn outcome(self) -> Outcome {
        match self {
            Kind::Miss | Kind::CloudFormationAccepts => Outcome::Miss,
            Kind::WrongRejection | Kind::CloudFormationRejects => Outcome::WrongRejection,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Group {
    pub(crate) kind: Kind,
    pub(crate) reason: String,
    pub(crate) members: Vec<Member>,
    /// 0-based line of the `[kind] reason` header.
    line: usize,
}

#[derive(Debug)]
pub(crate) struct Member {
    pub(crate) fixture: String,
    pub(crate) note: String,
    line: usize,
}

#[derive(Debug)]
pub(crate) struct Allowlist {
    pub(crate) groups: Vec<Group>,
    text: String,
}

impl Allowlist {
    pub(crate) fn parse(text: &str) -> Result<Allowlist> {
        let mut groups: Vec<Group> = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let number = index + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                let Some((kind, reason)) = header.split_once(']') else {
                    bail!("line {number}: `{line}` opens no group: expected `[kind] reason`");
                };
                let Some(kind) = Kind::ALL.into_iter().find(|known| known.name() == kind.trim()) else {
                    let kinds: Vec<&str> = Kind::ALL.iter().map(|kind| kind.name()).collect();
                    bail!("line {number}: unknown kind `{}`; expected one of {}", kind.trim(), kinds.join(", "));
                };
                if reason.trim().is_empty() {
                    bail!("line {number}: the group has no reason");
                }
                if let Some(empty) = groups.last().filter(|group| group.members.is_empty()) {
                    bail!("line {}: the group names no fixture", empty.line + 1);
                }
                groups.push(Group { kind, reason: reason.trim().to_owned(), members: Vec::new(), line: index });
                continue;
            }
            let Some(group) = groups.last_mut() else {
                bail!("line {number}: `{line}` comes before any `[kind] reason` line");
            };
            let (fixture, note) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            if !seen.insert(fixture.to_owned()) {
                bail!("line {number}: {fixture} is listed twice");
            }
            group.members.push(Member { fixture: fixture.to_owned(), note: note.trim().to_owned(), line: index });
        }
        if let Some(empty) = groups.last().filter(|group| group.members.is_empty()) {
            bail!("line {}: the group names no fixture", empty.line + 1);
        }
        Ok(Allowlist { groups, text: text.to_owned() })
    }

    /// The group a fixture is listed in.
    pub(crate) fn group_of(&self, fixture: &str) -> Option<&Group> {
        self.entry(fixture).map(|(group, _)| group)
    }

    /// The group a fixture is listed in, and its line there.
    pub(crate) fn entry(&self, fixture: &str) -> Option<(&Group, &Member)> {
        self.groups.iter().find_map(|group| {
            group.members.iter().find(|member| member.fixture == fixture).map(|member| (group, member))
        })
    }

    /// What is wrong with the list against today's outcomes (fixture -> outcome): entries that
    /// name no fixture, that agree with cfn-lint now, or whose kind is the other direction;
    /// and disagreements it does not list.
    pub(crate) fn problems(&self, outcomes: &BTreeMap<String, Outcome>, file: &str) -> Vec<String> {
        let mut problems = Vec::new();
        for group in &self.groups {
            for member in &group.members {
                let fixture = &member.fixture;
                match outcomes.get(fixture) {
                    None => problems.push(format!("{file} names {fixture}, which is no fixture")),
                    Some(outcome) if outcome.agrees() => problems.push(format!(
                        "{fixture}: {} with cfn-lint now; remove it from {file} (`cargo xtask parity fixtures --prune`)",
                        if *outcome == Outcome::Caught { "caught, in a place it names," } else { "accepted" }
                    )),
                    Some(outcome) if *outcome != group.kind.outcome() => problems.push(format!(
                        "{fixture}: listed in {file} as {}, but it is a {} now",
                        group.kind.name(),
                        outcome.name()
                    )),
                    Some(_) => {}
                }
            }
        }
        for (fixture, outcome) in outcomes {
            if !outcome.agrees() && self.group_of(fixture).is_none() {
                problems
                    .push(format!("{fixture}: a {} not in {file}: fix it, or list it under its cause", outcome.name()));
            }
        }
        problems
    }

    /// The file's text without the members naming `agreeing` fixtures, and without the header
    /// (and the blank lines after it) of a group left empty. Never adds anything: a new
    /// disagreement is listed by hand, with its cause.
    pub(crate) fn pruned(&self, agreeing: &BTreeSet<String>) -> String {
        let mut drop = BTreeSet::new();
        for group in &self.groups {
            let gone: Vec<usize> =
                group.members.iter().filter(|member| agreeing.contains(&member.fixture)).map(|m| m.line).collect();
            if gone.len() == group.members.len() {
                drop.insert(group.line);
                // The blank separator after a vanished group goes too.
                let last = group.members.iter().map(|member| member.line).max().unwrap_or(group.line);
                drop.extend(
                    self.text
                        .lines()
                        .enumerate()
                        .skip(last + 1)
                        .take_while(|(_, l)| l.trim().is_empty())
                        .map(|(i, _)| i),
                );
            }
            drop.extend(gone);
        }
        let mut text = String::with_capacity(self.text.len());
        for (_, line) in self.text.lines().enumerate().filter(|(index, _)| !drop.contains(index)) {
            text.push_str(line);
            text.push('\n');
        }
        while text.ends_with("\n\n") {
            text.pop();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::{Allowlist, Kind};
    use crate::fixture_parity::compare::Outcome;

    const LIST: &str = "# causes\n\n[miss] not yet implemented: X\ngood/a.yaml  E3012 Resources/A\nbad/b.yaml\n\n\
                        [cloudformation-rejects] CloudFormation requires a resource\ngood/c.yaml\n\n\
                        [wrong-rejection] the short form !Y\ngood/d.yaml\n";

    #[test]
    fn groups_members_and_notes() {
        let list = Allowlist::parse(LIST).unwrap();
        assert_eq!(list.groups.len(), 3);
        assert_eq!(list.groups[0].kind, Kind::Miss);
        assert_eq!(list.groups[0].reason, "not yet implemented: X");
        assert_eq!(list.groups[0].members[0].note, "E3012 Resources/A");
        assert_eq!(list.group_of("good/c.yaml").unwrap().kind, Kind::CloudFormationRejects);
        assert!(list.group_of("good/z.yaml").is_none());
    }

    #[test]
    fn malformed_lists_are_refused() {
        for bad in [
            "good/a.yaml\n",
            "[miss]\ngood/a.yaml\n",
            "[missed] x\ngood/a.yaml\n",
            "[miss] x\n[miss] y\ngood/a.yaml\n",
            "[miss] x\ngood/a.yaml\n[miss] y\n",
            "[miss] x\ngood/a.yaml\ngood/a.yaml\n",
            "[miss x\ngood/a.yaml\n",
        ] {
            assert!(Allowlist::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_list_must_be_exact() {
        let list = Allowlist::parse(LIST).unwrap();
        let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
        outcomes.insert("good/a.yaml".into(), Outcome::Miss);
        outcomes.insert("bad/b.yaml".into(), Outcome::Miss);
        outcomes.insert("good/c.yaml".into(), Outcome::WrongRejection);
        outcomes.insert("good/d.yaml".into(), Outcome::WrongRejection);
        assert_eq!(list.problems(&outcomes, "list"), Vec::<String>::new());

        outcomes.insert("bad/b.yaml".into(), Outcome::Caught);
        outcomes.insert("good/d.yaml".into(), Outcome::Miss);
        outcomes.insert("good/e.yaml".into(), Outcome::WrongRejection);
        outcomes.remove("good/c.yaml");
        let problems = list.problems(&outcomes, "list").join("\n");
        assert!(problems.contains("bad/b.yaml: caught"), "{problems}");
        assert!(problems.contains("good/d.yaml: listed in list as wrong-rejection, but it is a miss"), "{problems}");
        assert!(problems.contains("good/e.yaml: a wrong-rejection not in list"), "{problems}");
        assert!(problems.contains("names good/c.yaml, which is no fixture"), "{problems}");
    }

    #[test]
    fn pruning_removes_agreeing_members_and_empty_groups_only() {
        let list = Allowlist::parse(LIST).unwrap();
        let agreeing: BTreeSet<String> = ["bad/b.yaml", "good/c.yaml"].map(str::to_owned).into();
        let pruned = list.pruned(&agreeing);
        assert_eq!(
            pruned,
            "# causes\n\n[miss] not yet implemented: X\ngood/a.yaml  E3012 Resources/A\n\n\
             [wrong-rejection] the short form !Y\ngood/d.yaml\n"
        );
        assert!(Allowlist::parse(&pruned).is_ok());
        let everything: BTreeSet<String> =
            ["good/a.yaml", "bad/b.yaml", "good/c.yaml", "good/d.yaml"].map(str::to_owned).into();
        assert_eq!(list.pruned(&everything), "# causes\n");
    }
}
