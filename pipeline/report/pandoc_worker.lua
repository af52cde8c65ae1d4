-- One pandoc kept for a process's reports (pandoc lua pandoc_worker.lua safe_tree.lua): each request is read from
-- stdin, made safe (safe_tree.lua) and written as .docx and/or a page; the answer goes to stdout. Framing, both ways:
-- a line with the byte length, then that many bytes. A request is JSON {markdown, from, images, depth, word, html,
-- reference (none: pandoc's own styles), east_asian}; the answer is JSON {facts, html, error}, then the .docx (length 0
-- when none).
-- It ends when stdin closes (its owner has ended or let it go).
local tree = dofile(arg[1])

io.stdin:setvbuf("full")
io.stdout:setvbuf("full")

local function framed(bytes)
  io.stdout:write(#bytes, "\n", bytes)
end

local function convert(request)
  local doc = pandoc.read(request.markdown, request.from, {}, {})  -- no file in reach of the reader
  local facts
  doc, facts = tree.checked(doc, request.images)
  if facts.depth > request.depth then return facts, nil, "" end  -- refused by Python: written by no writer
  doc = tree.as_written(doc, request.east_asian)
  local docx = request.word and pandoc.write(doc, "docx", {reference_doc = request.reference}) or ""
  return facts, request.html and tree.page(doc) or nil, docx
end

while true do
  local size = io.stdin:read("l")
  if size == nil then break end
  local request = pandoc.json.decode(io.stdin:read(tonumber(size)), false)
  local ok, facts, page, docx = pcall(convert, request)
  if ok then
    framed(pandoc.json.encode({facts = facts, html = page}))
    framed(docx)
  else
    framed(pandoc.json.encode({error = tostring(facts)}))
    framed("")
  end
  io.stdout:flush()
end
