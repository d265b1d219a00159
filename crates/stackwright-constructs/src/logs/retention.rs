//! [`Retention`]: the retention periods CloudWatch Logs accepts.

/// How long a log group keeps events: exactly the values `AWS::Logs::LogGroup`'s
/// `RetentionInDays` accepts (a test checks this list against `schemas/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // the names say the period
pub enum Retention {
    OneDay,
    ThreeDays,
    FiveDays,
    OneWeek,
    TwoWeeks,
    OneMonth,
    TwoMonths,
    ThreeMonths,
    FourMonths,
    FiveMonths,
    SixMonths,
    OneYear,
    ThirteenMonths,
    EighteenMonths,
    TwoYears,
    ThreeYears,
    FiveYears,
    SixYears,
    SevenYears,
    EightYears,
    NineYears,
    TenYears,
}

impl Retention {
    /// Every period, shortest first.
    pub const ALL: [Self; 22] = [
        Self::OneDay,
        Self::ThreeDays,
        Self::FiveDays,
        Self::OneWeek,
        Self::TwoWeeks,
        Self::OneMonth,
        Self::TwoMonths,
        Self::ThreeMonths,
        Self::FourMonths,
        Self::FiveMonths,
        Self::SixMonths,
        Self::OneYear,
        Self::ThirteenMonths,
        Self::EighteenMonths,
        Self::TwoYears,
        Self::ThreeYears,
        Self::FiveYears,
        Self::SixYears,
        Self::SevenYears,
        Self::EightYears,
        Self::NineYears,
        Self::TenYears,
    ];

    /// The period in days, as `RetentionInDays` takes it.
    pub fn days(self) -> i64 {
        match self {
            Self::OneDay => 1,
            Self::ThreeDays => 3,
            Self::FiveDays => 5,
            Self::OneWeek => 7,
            Self::TwoWeeks => 14,
            Self::OneMonth => 30,
            Self::TwoMonths => 60,
            Self::ThreeMonths => 90,
            Self::FourMonths => 120,
            Self::FiveMonths => 150,
            Self::SixMonths => 180,
            Self::OneYear => 365,
            Self::ThirteenMonths => 400,
            Self::EighteenMonths => 545,
            Self::TwoYears => 731,
            Self::ThreeYears => 1096,
            Self::FiveYears => 1827,
            Self::SixYears => 2192,
            Self::SevenYears => 2557,
            Self::EightYears => 2922,
            Self::NineYears => 3288,
            Self::TenYears => 3653,
        }
    }

    /// The period of `days`, if CloudWatch Logs accepts it.
    pub fn from_days(days: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.days() == days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_match_the_vendored_schema() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/aws-logs-loggroup.json");
        let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let accepted: Vec<i64> = schema["properties"]["RetentionInDays"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_i64().unwrap())
            .collect();
        let ours: Vec<i64> = Retention::ALL.iter().map(|r| r.days()).collect();
        assert_eq!(ours, accepted);
        assert_eq!(Retention::from_days(400), Some(Retention::ThirteenMonths));
        assert_eq!(Retention::from_days(2), None);
    }
}
