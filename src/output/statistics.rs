//! `--statistics`: findings counted per rule over a run, with how many a fix would remove and
//! in how many groups they fall (the same flagged text and fix in one file are one group, as
//! the human format shows them).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::human::groups;
use super::FileReport;
use crate::diagnostic::{Applicability, Severity};

/// One rule's counts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RuleStatistics {
    pub rule: String,
    pub severity: Severity,
    pub count: usize,
    /// Groups of the same flagged text and fix in one file.
    pub groups: usize,
    /// Findings `mtlint fix` removes.
    pub fixable: usize,
    /// Findings only `mtlint fix --unsafe-fixes` removes.
    pub unsafe_fixable: usize,
}

/// Per-rule counts over a run.
#[derive(Debug, Default, Clone)]
pub struct Statistics {
    rules: BTreeMap<String, RuleStatistics>,
}

impl Statistics {
    /// Adds one file's findings.
    pub fn add(&mut self, r: &FileReport) {
        let Some(doc) = r.document() else { return };
        for group in groups(doc, r.diagnostics()) {
            let first = group[0];
            let s = self
                .rules
                .entry(first.rule_id().to_string())
                .or_insert_with(|| RuleStatistics {
                    rule: first.rule_id().to_string(),
                    severity: first.severity,
                    count: 0,
                    groups: 0,
                    fixable: 0,
                    unsafe_fixable: 0,
                });
            s.severity = s.severity.max(first.severity);
            s.groups += 1;
            for d in group {
                s.count += 1;
                match d.fix.as_ref().map(|f| f.applicability) {
                    Some(Applicability::Safe) => s.fixable += 1,
                    Some(Applicability::Unsafe) => s.unsafe_fixable += 1,
                    _ => {}
                }
            }
        }
    }

    /// The rules, worst first: errors before warnings before infos, then the most frequent.
    pub fn rows(&self) -> Vec<&RuleStatistics> {
        let mut rows: Vec<&RuleStatistics> = self.rules.values().collect();
        rows.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.count.cmp(&a.count))
                .then(a.rule.cmp(&b.rule))
        });
        rows
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// A table, one rule a line: count, rule, severity, groups and fixes.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows = self.rows();
        let id_width = rows.iter().map(|r| r.rule.chars().count()).max().unwrap_or(4).max(4);
        let count_width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1).max(5);
        writeln!(
            out,
            "{:>count_width$}  {:<id_width$}  {:<8} {:>6}  fixable",
            "count", "rule", "severity", "groups"
        )?;
        for r in rows {
            let mut fixes = Vec::new();
            if r.fixable > 0 {
                fixes.push(format!("{} safe", r.fixable));
            }
            if r.unsafe_fixable > 0 {
                fixes.push(format!("{} unsafe", r.unsafe_fixable));
            }
            let fixes = if fixes.is_empty() {
                "-".to_string()
            } else {
                fixes.join(", ")
            };
            writeln!(
                out,
                "{:>count_width$}  {:<id_width$}  {:<8} {:>6}  {fixes}",
                r.count,
                super::sanitize::terminal(&r.rule),
                r.severity.as_str(),
                r.groups
            )?;
        }
        Ok(())
    }

    /// The rows as a JSON array.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.rows())?;
        writeln!(out)
    }
}
