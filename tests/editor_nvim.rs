//! End to end with a real editor: headless Neovim (Debian's 0.7, so the client is started with
//! `vim.lsp.start_client`, which every version since 0.5 has) runs `mtlint server` on a file
//! with known defects; its init script writes the diagnostics Neovim received as JSON, applies
//! the quick fix of one of them and saves the file. Skipped, with a note, when `nvim` is not
//! installed (CI installs it: see .ci/run).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const INIT: &str = r#"
local bin, file, out = os.getenv('MTLINT_BIN'), os.getenv('MTLINT_FILE'), os.getenv('MTLINT_OUT')
local result = { diagnostics = {}, after = {}, titles = {} }

local function finish(err)
  result.error = err
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'mtlint',
    cmd = { bin, 'server' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  if not id then return finish('the client did not start') end
  vim.lsp.buf_attach_client(buf, id)
  if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
    return finish('no diagnostics')
  end
  local target
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, {
      code = code_of(d), lnum = d.lnum, col = d.col, end_col = d.end_col,
      severity = d.severity, source = d.source, message = d.message,
    })
    if code_of(d) == 'en/double-space' then target = d end
  end
  if not target then return finish('no en/double-space finding') end
  local client = vim.lsp.get_client_by_id(id)
  -- The finding's whole line (0.7 keeps no LSP range with a diagnostic).
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = {
      start = { line = target.lnum, character = 0 },
      ['end'] = { line = target.lnum + 1, character = 0 },
    },
    context = { diagnostics = {} },
  }
  local resp = client.request_sync('textDocument/codeAction', params, 10000, buf)
  if not resp or resp.err then return finish('codeAction failed: ' .. vim.inspect(resp)) end
  local applied = false
  for _, a in ipairs(resp.result or {}) do
    table.insert(result.titles, a.title)
    if not applied and a.kind == 'quickfix' and a.edit and a.title:find('en/double-space', 1, true) then
      vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding or 'utf-16')
      applied = true
    end
  end
  if not applied then return finish('no quick fix to apply') end
  vim.cmd('silent write')
  vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if code_of(d) == 'en/double-space' then return false end
    end
    return true
  end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.after, { code = code_of(d), lnum = d.lnum, col = d.col })
  end
  finish(nil)
end

local ok, err = pcall(run)
if not ok then finish(tostring(err)) end
"#;

fn nvim_available() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn neovim_shows_the_findings_and_applies_a_quick_fix() {
    if !nvim_available() {
        eprintln!("note: skipped: `nvim` is not installed (apt-get install neovim)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(root.join("mtlint.toml"), "lang = \"en\"\n").unwrap();
    let file = root.join("draft.txt");
    // A double space after CJK text and an emoji: Neovim's columns are bytes, the server's
    // UTF-16 units, so the columns below hold only if both sides convert right.
    std::fs::write(&file, "The first line is plain.\nOur 北京 team 😀 met  again.\n").unwrap();
    let init = root.join("init.lua");
    std::fs::write(&init, INIT).unwrap();
    let out = root.join("out.json");
    let mut child = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(&init)
        .env("MTLINT_BIN", env!("CARGO_BIN_EXE_mtlint"))
        .env("MTLINT_FILE", &file)
        .env("MTLINT_OUT", &out)
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_STATE_HOME", root.join("state"))
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let result: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("nvim wrote its result")).unwrap();
    assert_eq!(result["error"], Value::Null, "{result:#}");
    let diags = result["diagnostics"].as_array().unwrap();
    let find = |code: &str| {
        diags
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {result:#}"))
    };
    let double = find("en/double-space");
    // Bytes: "Our " 4 + 北京 6 + " team " 6 + the emoji 4 + " met" 4.
    assert_eq!(
        (double["lnum"].as_u64(), double["col"].as_u64()),
        (Some(1), Some(24)),
        "{result:#}"
    );
    assert_eq!(double["end_col"].as_u64(), Some(26), "{result:#}");
    assert_eq!(double["source"], "mtlint");
    let han = find("en/untranslated");
    assert_eq!(
        (han["lnum"].as_u64(), han["col"].as_u64()),
        (Some(1), Some(4)),
        "{result:#}"
    );
    assert_eq!(han["severity"].as_u64(), Some(1), "an error");
    // The quick fix was applied and saved; the finding is gone, the other stays.
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "The first line is plain.\nOur 北京 team 😀 met again.\n"
    );
    let after: Vec<&str> = result["after"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(after, ["en/untranslated"], "{result:#}");
    assert!(Path::new(&file).exists());
}
