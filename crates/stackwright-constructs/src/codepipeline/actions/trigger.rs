//! [`PushFilter`]: the V2 trigger filter of a CodeStar source action.

use stackwright_cfn::codepipeline::pipeline as l1;

use crate::error::Checks;

/// A V2 trigger's push filter: which pushes start the pipeline. AWS allows at most 8 patterns
/// per list, and file-path filters only together with branch filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushFilter {
    /// Branch patterns that start the pipeline; at least one.
    pub branches_include: Vec<String>,
    /// Branch patterns that do not. **Default:** none.
    pub branches_exclude: Vec<String>,
    /// File path patterns a push must touch. **Default:** none: any file.
    pub file_paths_include: Vec<String>,
    /// File path patterns that alone do not start the pipeline. **Default:** none.
    pub file_paths_exclude: Vec<String>,
}

impl PushFilter {
    /// Pushes to branches matching `patterns`.
    pub fn branches(patterns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self { branches_include: patterns.into_iter().map(Into::into).collect(), ..Self::default() }
    }

    /// See [`PushFilter::branches_exclude`].
    #[must_use]
    pub fn exclude_branches(mut self, patterns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.branches_exclude = patterns.into_iter().map(Into::into).collect();
        self
    }

    /// See [`PushFilter::file_paths_include`].
    #[must_use]
    pub fn file_paths(mut self, patterns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.file_paths_include = patterns.into_iter().map(Into::into).collect();
        self
    }

    /// See [`PushFilter::file_paths_exclude`].
    #[must_use]
    pub fn exclude_file_paths(mut self, patterns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.file_paths_exclude = patterns.into_iter().map(Into::into).collect();
        self
    }

    pub(crate) fn check(&self, action: &str, checks: &mut Checks) {
        checks.require(!self.branches_include.is_empty(), "pipeline-trigger/branches", || {
            format!("action {action}: a push filter needs at least one branch pattern to include")
        });
        for (what, list) in [
            ("branches_include", &self.branches_include),
            ("branches_exclude", &self.branches_exclude),
            ("file_paths_include", &self.file_paths_include),
            ("file_paths_exclude", &self.file_paths_exclude),
        ] {
            checks.require(list.len() <= 8 && list.iter().all(|p| !p.is_empty()), "pipeline-trigger/patterns", || {
                format!("action {action}: {what} must hold at most 8 non-empty patterns, got {list:?}")
            });
        }
    }

    pub(crate) fn to_l1(&self) -> l1::GitPushFilter {
        let mut branches = l1::GitBranchFilterCriteria::new();
        if !self.branches_exclude.is_empty() {
            branches = branches.excludes(self.branches_exclude.clone());
        }
        if !self.branches_include.is_empty() {
            branches = branches.includes(self.branches_include.clone());
        }
        let mut filter = l1::GitPushFilter::new().branches(branches);
        if !self.file_paths_include.is_empty() || !self.file_paths_exclude.is_empty() {
            let mut paths = l1::GitFilePathFilterCriteria::new();
            if !self.file_paths_exclude.is_empty() {
                paths = paths.excludes(self.file_paths_exclude.clone());
            }
            if !self.file_paths_include.is_empty() {
                paths = paths.includes(self.file_paths_include.clone());
            }
            filter = filter.file_paths(paths);
        }
        filter
    }
}
