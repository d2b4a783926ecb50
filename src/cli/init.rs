//! `mtlint init`: a commented starter config.

use super::InitArgs;

pub const STARTER: &str = r#"# mtlint configuration. mtlint uses the nearest mtlint.toml or .mtlint.toml above each file.

# Target language of the files. Without it, mtlint detects the language of each file
# (English, French, German, Chinese, …) and applies the packs for that language.
# lang = "en"

# Source language the texts were translated from: restricts language-pair packs such as
# zh-en (Chinese → English machine-translation artefacts) to that source.
# source_lang = "zh"

# Shipped packs to use (default: every pack for the file's language). `mtlint rules` lists them.
# packs = ["en", "zh-en"]

# Your own rule files, relative to this file. See docs/rules-and-kinds.md, "Writing rules".
# rules = ["house/terms.toml"]

# Only these rules or packs / never these (rule ids like "en/run-on", or pack names).
# select = []
# ignore = ["en/double-space"]

# Lowest severity that makes `mtlint check` exit with status 1: "error", "warning" or "info".
# fail_on = "warning"

# Files checked when walking directories (globs relative to this file).
# Default: *.txt, *.text, *.md, *.markdown, *.xlf, *.xliff, *.po, *.tmx, *.tsv.
# include = ["drafts/**/*.txt"]
# exclude = ["archive/"]

# Phrases never flagged, whatever the rule.
# accept = ["the old town of Lijiang"]

# Per-rule settings: severity, fix ("safe", "unsafe", "none") and the rule's own parameters.
# [rule."en/run-on"]
# max_words = 60
# severity = "info"

# Rules or packs turned off for some files.
# [per_file_ignores]
# "quotes/*.txt" = ["en/unbalanced-quote"]
"#;

pub fn run(args: InitArgs) -> anyhow::Result<u8> {
    use std::io::Write;
    // A link (even a dangling one) would have the starter written wherever it points.
    if std::fs::symlink_metadata(&args.path).is_ok_and(|m| m.file_type().is_symlink()) {
        anyhow::bail!(
            "{} is a symbolic link; not written through it (remove the link first)",
            args.path.display()
        );
    }
    if args.path.exists() && !args.force {
        anyhow::bail!("{} exists already (use --force to overwrite it)", args.path.display());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        // Refuses a file or link that appeared since the checks above.
        options.create_new(true);
    }
    options
        .open(&args.path)
        .and_then(|mut f| f.write_all(STARTER.as_bytes()))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.path.display()))?;
    println!(
        "Wrote {}. Edit it to set the language, packs and your own rule files.",
        args.path.display()
    );
    Ok(0)
}
