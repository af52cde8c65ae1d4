-- The report's syntax tree made safe inside the pandoc that reads the Markdown and writes the documents
-- (pandoc_worker.lua): pictures only from the charts we drew (as data: URIs), links only to web addresses, attributes
-- only for layout, no math. What Python decides (raw blocks, pictures missing, the tree's depth) is returned as facts.
local M = {}

local UNITS = {"cm", "mm", "in", "pt", "px", "em", "%"}
local function size(value)
  for _, unit in ipairs(UNITS) do
    if value:sub(-#unit) == unit then value = value:sub(1, -#unit - 1) break end
  end
  return value:match("^%d+$") ~= nil or value:match("^%d+%.%d+$") ~= nil
end
local LAYOUT = {
  ["custom-style"] = function(value)
    local length = utf8.len(value)
    return length ~= nil and length >= 1 and length <= 100 and not value:find('[<>"]')
  end,
  width = size, height = size,
}

-- identifier and classes stay; of the key=value pairs only custom-style, width and height (onclick, style … go);
-- nil when nothing goes (the element is then left as it is, which is cheaper)
local function layout(attr)
  if #attr.attributes == 0 then return nil end
  local kept, dropped = {}, false
  for key, value in pairs(attr.attributes) do
    if LAYOUT[key] and LAYOUT[key](value) then kept[#kept + 1] = {key, value} else dropped = true end
  end
  if dropped then return pandoc.Attr(attr.identifier, attr.classes, kept) end
end

local function web(target)
  local address = target:gsub("^%s+", ""):gsub("%s+$", ""):lower()
  local rest = address:match("^https?://(.*)$") or address:match("^mailto:(.*)$") or address:match("^#(.*)$")
  return rest ~= nil and not rest:find("%s")
end

local function cleaned(el)
  local attr = layout(el.attr)
  if attr then
    el.attr = attr
    return el
  end
end

-- the filter for one document: what it finds goes into `facts`; `images` maps a file name to its data: URI
local function filter(facts, images)
  local function raw(el)
    facts.raw[#facts.raw + 1] = {el.format, el.text}
    if el.format == "openxml" then return el end
    return {}  -- refused by Python: nothing of it reaches a document meanwhile
  end
  return {
    traverse = "typewise",
    Math = function(el) return pandoc.Str(el.text) end,
    Link = function(el)
      if web(el.target) then return cleaned(el) end
      return pandoc.Span(el.content, layout(el.attr) or el.attr)  -- javascript:, file:, a local path: the text stays, the link goes
    end,
    Image = function(el)
      local uri = images[el.src]
      if uri == nil then
        facts.missing[#facts.missing + 1] = el.src
        return pandoc.Span(el.caption)
      end
      el.src = uri
      el.attr = layout(el.attr) or el.attr
      return el
    end,
    RawInline = raw, RawBlock = raw,
    Span = cleaned, Code = cleaned, Div = cleaned, CodeBlock = cleaned, Header = cleaned, Figure = cleaned,
    -- the table's own attributes only: walking its rows and cells here costs as much as the rest of the filter (pandoc's
    -- Markdown gives them none; the check of the written tree below finds any)
    Table = cleaned,
  }
end

-- the tree's JSON text without its escapes: strings are then "…" with no quote inside
local function json_text(doc)
  return (pandoc.write(doc, "json"):gsub("\\.", ""))
end

-- how deep the tree nests, counted as its JSON text nests (lists and objects, strings skipped)
local function nesting(text)
  local marks = text:gsub('"[^"]*"', ""):gsub("[^%[%]{}]", "")
  local depth, deepest = 0, 0
  for i = 1, #marks do
    local mark = marks:byte(i)
    if mark == 91 or mark == 123 then  -- [ {
      depth = depth + 1
      if depth > deepest then deepest = depth end
    else
      depth = depth - 1
    end
  end
  return deepest
end

-- the keys of attributes left that are not for layout (an Attr is ["id",["class"],[["key","value"]]])
local function stray_attributes(text)
  local stray = {}
  for list in text:gmatch('%[[^%[%]]*%],(%[%[".-"%]%])') do
    for key, value in list:gmatch('%["([^"]*)","([^"]*)"%]') do
      if not (LAYOUT[key] and LAYOUT[key](value)) then stray[#stray + 1] = key end
    end
  end
  return stray
end

-- pandoc's command line applies --shift-heading-level-by=-1 and +east_asian_line_breaks after the filters, to the
-- document it writes: M.as_written does them here, as pandoc does them (the documents are then byte for byte the same)

-- the shift by -1: a level-1 heading opening the report becomes its title, the other headings go up a level, and a
-- level-1 heading further down becomes a paragraph
local function shift(doc)
  while doc.blocks[1] and doc.blocks[1].t == "Header" and doc.blocks[1].level == 1 do
    doc.meta.title = pandoc.MetaInlines(doc.blocks[1].content)
    doc.blocks:remove(1)
  end
end
local function shifted(el)
  if el.level == 1 then return pandoc.Para(el.content) end
  el.level = el.level - 1
  return el
end

-- east_asian_line_breaks: a line break between two wide (East Asian) characters is no space
local FIRST, LAST = "^[%z\1-\127\194-\244][\128-\191]*", "[%z\1-\127\194-\244][\128-\191]*$"
local function wide(text, edge)
  local char = text:match(edge)
  return char ~= nil and pandoc.layout.real_length(char) == 2
end
local function joined(inlines)
  for i = #inlines - 1, 2, -1 do
    if inlines[i].t == "SoftBreak" and wide(pandoc.utils.stringify(inlines[i - 1]), LAST)
        and wide(pandoc.utils.stringify(inlines[i + 1]), FIRST) then
      inlines:remove(i)
    end
  end
  return inlines
end

-- the tree made safe, and what Python decides on: {raw = {{format, text}…}, missing = {src…}, depth, attributes};
-- the depth and the attributes are read on the tree as pandoc has it again (cheap to read; a tree changed in Lua
-- costs more to walk again)
function M.checked(doc, images)
  local facts = {raw = {}, missing = {}, depth = 0, attributes = {}}
  doc = doc:walk(filter(facts, images))
  local text = json_text(doc)
  facts.depth = nesting(text)
  facts.attributes = stray_attributes(text)
  return doc, facts
end

-- the document as pandoc's command line would write it (see above); `east_asian`: the reader's extension is on
function M.as_written(doc, east_asian)
  shift(doc)
  return doc:walk({Header = shifted, Inlines = east_asian and joined or nil})
end

-- the page as pandoc --standalone --wrap=none writes it; a page without a title is named as pandoc names one read
-- from stdin
local html5  -- pandoc's own page template, compiled at the first page (the same for every page)
function M.page(doc)
  html5 = html5 or pandoc.template.compile(pandoc.template.default("html5"))
  local options = pandoc.WriterOptions({template = html5,
                                        wrap_text = "wrap-none",
                                        variables = doc.meta.title == nil and {pagetitle = "-"} or {}})
  return pandoc.write(doc, "html5", options)
end

return M
