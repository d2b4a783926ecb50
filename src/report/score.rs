//! The quality score: MQM-style penalty points, normalised by word count.
//!
//! Each finding costs penalty points by its severity, with the weights of the MQM-DQF scoring
//! model (minor 1, major 5, critical 10): `info` is a minor error, `warning` a major one,
//! `error` a critical one. For a document (or a batch) of `W` words and `P` penalty points:
//!
//! - penalty per 1,000 words: `NPT = 1000 × P / W`
//! - quality score: `100 × (1 − P / W)`, clamped to 0–100 (that is, `100 − NPT / 10`).
//!
//! A batch's score is computed from its summed points and words, so long documents weigh more.

use crate::diagnostic::Severity;

/// Penalty points of one finding of severity `s`.
pub const fn weight(s: Severity) -> u64 {
    match s {
        Severity::Info => 1,
        Severity::Warning => 5,
        Severity::Error => 10,
    }
}

/// The MQM severity name the weights correspond to.
pub const fn mqm_severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "minor",
        Severity::Warning => "major",
        Severity::Error => "critical",
    }
}

/// How a score reads to an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    /// Below 90: more than one major error in every 50 words.
    Poor,
    /// 90 to below 98.
    Review,
    /// 98 and above: at most about one major error in 250 words.
    Good,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Poor => "poor",
            Band::Review => "needs review",
            Band::Good => "good",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Band::Poor => "poor",
            Band::Review => "review",
            Band::Good => "good",
        }
    }
}

/// Words and penalty points of a document or a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub words: usize,
    pub penalty: u64,
}

impl Score {
    pub fn add_finding(&mut self, s: Severity) {
        self.penalty += weight(s);
    }

    pub fn add(&mut self, other: Score) {
        self.words += other.words;
        self.penalty += other.penalty;
    }

    /// Penalty points per 1,000 words (a text with no words counts as one word).
    pub fn per_thousand(&self) -> f64 {
        self.penalty as f64 * 1000.0 / self.words.max(1) as f64
    }

    /// The quality score, 0 to 100.
    pub fn quality(&self) -> f64 {
        (100.0 - self.per_thousand() / 10.0).clamp(0.0, 100.0)
    }

    pub fn band(&self) -> Band {
        let q = self.quality();
        if q >= 98.0 {
            Band::Good
        } else if q >= 90.0 {
            Band::Review
        } else {
            Band::Poor
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_follows_the_documented_formula() {
        // 1,000 words, 2 warnings and 1 info: 11 points, 11 per 1,000 words, score 98.9.
        let mut s = Score {
            words: 1000,
            penalty: 0,
        };
        s.add_finding(Severity::Warning);
        s.add_finding(Severity::Warning);
        s.add_finding(Severity::Info);
        assert_eq!(s.penalty, 11);
        assert!((s.per_thousand() - 11.0).abs() < 1e-9);
        assert!((s.quality() - 98.9).abs() < 1e-9);
        assert_eq!(s.band(), Band::Good);
    }

    #[test]
    fn score_is_clamped_and_survives_empty_text() {
        let s = Score { words: 0, penalty: 10 };
        assert_eq!(s.quality(), 0.0);
        assert_eq!(Score::default().quality(), 100.0);
        assert_eq!(Score { words: 100, penalty: 5 }.band(), Band::Review);
    }
}
