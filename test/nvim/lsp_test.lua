-- Cluster Preflight through Neovim's built-in LSP client (Neovim 0.7+), headless:
--
--   CLUSTER_PREFLIGHT_ROOT=<repo> nvim --headless -u NONE -i NONE -n -c 'luafile test/nvim/lsp_test.lua'
--
-- (test/nvim/run.sh does that.) Starts `node dist/server.js --stdio` with vim.lsp.start_client,
-- opens test/e2e/fixture/cluster/inventory.yaml and checks, through the client:
--   1. the published diagnostics: exact codes, ranges and severities;
--   2. a hover on a firewall port (6443) that links Kubernetes' ports-and-protocols page;
--   3. the quick-fixes for cp-1's missing-port-rule diagnostics, then applies
--      "Add all 3 missing port rules to cp-1" in the buffer and waits for the server's new
--      diagnostics (incremental didChange from Neovim).
-- Prints one line per check and a closing "nvim: N passed, N failed", exits 0 or 1.
-- Every wait is bounded; CLUSTER_PREFLIGHT_NVIM_TIMEOUT (ms, default 15000) bounds each one.

local ROOT = assert(os.getenv('CLUSTER_PREFLIGHT_ROOT'), 'set CLUSTER_PREFLIGHT_ROOT to the repository root')
local FIXTURE = ROOT .. '/test/e2e/fixture'
local INVENTORY = FIXTURE .. '/cluster/inventory.yaml'
local SERVER = ROOT .. '/dist/server.js'
local TIMEOUT = tonumber(os.getenv('CLUSTER_PREFLIGHT_NVIM_TIMEOUT') or '') or 15000
local PORTS_DOCS = 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/'
local SEVERITY = { 'error', 'warning', 'information', 'hint' }

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local client_id
local function finish()
  out(string.format('nvim: %d passed, %d failed', passed, failed))
  if client_id then
    local client = vim.lsp.get_client_by_id(client_id)
    if client then
      client.stop()
      vim.wait(2000, function() return client.is_stopped() end, 20)
    end
  end
  os.exit(failed == 0 and passed > 0 and 0 or 1)
end

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    out('ok     ' .. name)
  else
    failed = failed + 1
    out('not ok ' .. name)
    if detail then out('       ' .. tostring(detail):gsub('\n', '\n       ')) end
  end
  return ok
end

local function bail(message)
  failed = failed + 1
  out('not ok ' .. message)
  finish()
end

-- Watchdog: whatever happens, the test ends (2 waits below + startup).
vim.defer_fn(function() bail('timed out: the whole test took longer than ' .. (TIMEOUT * 3) .. ' ms') end, TIMEOUT * 3)

if vim.fn.filereadable(SERVER) == 0 then bail(SERVER .. ' is missing: run `npm run build` first') end

-- ---------------------------------------------------------------------------------------------
-- Start the server and open the inventory.

local published = {} -- uri -> { version = n, diagnostics = {...}, count = n }
local server_log = {}

client_id = vim.lsp.start_client({
  name = 'cluster-preflight',
  cmd = { 'node', SERVER, '--stdio' },
  root_dir = FIXTURE,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      local entry = published[result.uri] or { count = 0 }
      entry.count = entry.count + 1
      entry.version = result.version
      entry.diagnostics = result.diagnostics
      published[result.uri] = entry
      -- Also hand them to Neovim's own diagnostics, as an editor user gets them.
      return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
    end,
    ['window/logMessage'] = function(_, result)
      table.insert(server_log, result.message)
    end,
  },
  on_exit = function(code, signal)
    if code ~= 0 then table.insert(server_log, string.format('server exited with code %s, signal %s', code, signal)) end
  end,
})
if not client_id then bail('vim.lsp.start_client returned nil: could not start `node ' .. SERVER .. ' --stdio`') end

vim.cmd('edit ' .. vim.fn.fnameescape(INVENTORY))
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'yaml'
vim.lsp.buf_attach_client(bufnr, client_id)
local uri = vim.uri_from_bufnr(bufnr)

local function describe(diagnostics)
  local lines = {}
  for _, d in ipairs(diagnostics or {}) do
    table.insert(lines, string.format('%d:%d-%d:%d %s %s', d.range.start.line, d.range.start.character, d.range['end'].line, d.range['end'].character, SEVERITY[d.severity] or '?', tostring(d.code)))
  end
  table.sort(lines)
  return lines
end

local function wait_for_diagnostics(what, predicate)
  local ok = vim.wait(TIMEOUT, function()
    local entry = published[uri]
    return entry ~= nil and predicate(entry.diagnostics)
  end, 20)
  if not ok then
    local entry = published[uri]
    bail(string.format('timed out after %d ms waiting for %s; last published for the inventory (%s):\n       %s\n       server log:\n       %s',
      TIMEOUT, what, entry and ('publish #' .. entry.count) or 'nothing published',
      table.concat(describe(entry and entry.diagnostics), '\n       '), table.concat(server_log, '\n       ')))
  end
  return published[uri].diagnostics
end

-- ---------------------------------------------------------------------------------------------
-- 1. Diagnostics: exact codes, ranges and severities (0-based, as `node dist/cli.js --format json` gives).

local EXPECTED = {
  '15:6-15:14 error missing-port-rule',
  '15:6-15:14 error missing-port-rule',
  '15:6-15:14 warning missing-port-rule',
  '22:15-22:34 error duplicate-mac',
  '24:6-24:14 warning missing-port-rule',
  '31:15-31:34 error duplicate-mac',
}
table.sort(EXPECTED)

local started = vim.loop.hrtime()
local diagnostics = wait_for_diagnostics('the first diagnostics', function(d) return #d > 0 end)
local first_ms = math.floor((vim.loop.hrtime() - started) / 1e6)
local actual = describe(diagnostics)
check(string.format('diagnostics of inventory.yaml: exact codes, ranges, severities (first publish after %d ms)', first_ms),
  vim.deep_equal(actual, EXPECTED),
  'expected:\n' .. table.concat(EXPECTED, '\n') .. '\ngot:\n' .. table.concat(actual, '\n'))

local codes, sources, links = {}, {}, true
for _, d in ipairs(diagnostics) do
  codes[d.code] = true
  sources[d.source or '?'] = true
  if d.code == 'missing-port-rule' and not (d.codeDescription and d.codeDescription.href == PORTS_DOCS) then links = false end
end
local code_set = vim.tbl_keys(codes)
table.sort(code_set)
check('diagnostic codes are exactly {duplicate-mac, missing-port-rule}', vim.deep_equal(code_set, { 'duplicate-mac', 'missing-port-rule' }), vim.inspect(code_set))
check('source is cluster-preflight and missing-port-rule links the ports page', vim.deep_equal(vim.tbl_keys(sources), { 'cluster-preflight' }) and links, vim.inspect(diagnostics[1]))
check('Neovim shows them (vim.diagnostic.get)', #vim.diagnostic.get(bufnr) == #EXPECTED, #vim.diagnostic.get(bufnr) .. ' in vim.diagnostic')

-- ---------------------------------------------------------------------------------------------
-- 2. Hover on the 6443 of cp-1's firewall.

local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
local hover_line, hover_col
for i, line in ipairs(lines) do
  local col = line:find('port: 6443', 1, true)
  if col then
    hover_line, hover_col = i - 1, col - 1 + #'port: ' + 1
    break
  end
end
if not hover_line then bail('no "port: 6443" in the fixture') end
local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
  textDocument = { uri = uri },
  position = { line = hover_line, character = hover_col },
}, TIMEOUT)
local hover = ''
for _, response in pairs(responses or {}) do
  if response.result and response.result.contents then
    local contents = response.result.contents
    hover = hover .. (type(contents) == 'string' and contents or contents.value or vim.inspect(contents))
  end
end
check('hover on 6443 names **6443/TCP** and links the ports-and-protocols page',
  hover:find('**6443/TCP**', 1, true) ~= nil and hover:find('[Kubernetes Ports and Protocols](' .. PORTS_DOCS .. ')', 1, true) ~= nil,
  'hover: ' .. (err or hover))

-- ---------------------------------------------------------------------------------------------
-- 3. Document symbols (the outline) and completion of w-1's roles.

responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/documentSymbol', { textDocument = { uri = uri } }, TIMEOUT)
local outline = {}
for _, response in pairs(responses or {}) do
  for _, symbol in ipairs(response.result or {}) do table.insert(outline, symbol.name .. ' (' .. (symbol.detail or '') .. ')') end
end
check('document symbols are the nodes with their roles', vim.deep_equal(outline, { 'cp-1 (control-plane)', 'w-1 (worker)', 'w-2 (worker)' }),
  err or vim.inspect(outline))

local roles_line
for i, line in ipairs(lines) do
  if line == '      roles: [worker]' then roles_line = i - 1; break end
end
if not roles_line then bail('no "roles: [worker]" in the fixture') end
-- Inside the brackets, after "worker, ": typed in the buffer, so Neovim sends the change first.
vim.api.nvim_buf_set_lines(bufnr, roles_line, roles_line + 1, false, { '      roles: [worker, ]' })
responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
  textDocument = { uri = uri },
  position = { line = roles_line, character = #'      roles: [worker, ' },
}, TIMEOUT)
local offered = {}
for _, response in pairs(responses or {}) do
  local result = response.result or {}
  for _, item in ipairs(result.items or result) do table.insert(offered, item.label) end
end
table.sort(offered)
check('completion inside roles: [worker, ] offers control-plane and etcd', vim.deep_equal(offered, { 'control-plane', 'etcd' }), err or vim.inspect(offered))
vim.api.nvim_buf_set_lines(bufnr, roles_line, roles_line + 1, false, { '      roles: [worker]' })

-- ---------------------------------------------------------------------------------------------
-- 4. Quick-fixes on cp-1's firewall key, then apply "Add all".

local at_cp1 = vim.tbl_filter(function(d) return d.code == 'missing-port-rule' and d.range.start.line == 15 end, diagnostics)
responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
  textDocument = { uri = uri },
  range = at_cp1[1] and at_cp1[1].range or { start = { line = 15, character = 6 }, ['end'] = { line = 15, character = 14 } },
  context = { diagnostics = at_cp1, only = { 'quickfix' } },
}, TIMEOUT)
local actions = {}
for _, response in pairs(responses or {}) do
  for _, action in ipairs(response.result or {}) do table.insert(actions, action) end
end
local titles = vim.tbl_map(function(a) return a.title end, actions)
table.sort(titles)
local all_ok = #titles > 0
for _, title in ipairs(titles) do
  if not (vim.startswith(title, 'Add firewall rule') or vim.startswith(title, 'Add all') or title == 'Disable missing-port-rule for this line') then all_ok = false end
end
check('code actions on cp-1 are "Add firewall rule" / "Add all" / "Disable missing-port-rule for this line"', all_ok and vim.tbl_contains(titles, 'Add all 3 missing port rules to cp-1'),
  'titles: ' .. (err or vim.inspect(titles)))

local add_all
for _, action in ipairs(actions) do
  if action.title == 'Add all 3 missing port rules to cp-1' then add_all = action end
end
if add_all and add_all.edit then
  vim.lsp.util.apply_workspace_edit(add_all.edit, 'utf-16')
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 15, 21, false), '\n')
  check('"Add all" inserts 2379, 10250 and 10257 into cp-1\'s firewall',
    text == table.concat({ '      firewall:', '        - port: 6443', '        - port: 10259', '        - port: 2379', '        - port: 10250', '        - port: 10257' }, '\n'), text)
  local after = wait_for_diagnostics('cp-1\'s missing-port-rule diagnostics to go away', function(d)
    for _, x in ipairs(d) do
      if x.code == 'missing-port-rule' and x.message:find('"cp-1"', 1, true) then return false end
    end
    return true
  end)
  check('after the edit only w-1 and the MACs are reported, 3 lines lower', vim.deep_equal(describe(after), {
    '25:15-25:34 error duplicate-mac',
    '27:6-27:14 warning missing-port-rule',
    '34:15-34:34 error duplicate-mac',
  }), table.concat(describe(after), '\n'))
else
  check('"Add all 3 missing port rules to cp-1" carries an edit', false, vim.inspect(add_all))
end

finish()
