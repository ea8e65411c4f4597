//! One pass over one WordprocessingML story part (body, header, footer, notes,
//! comments) with the [`crate::xml`] tokenizer, streaming, no DOM.
//!
//! Output rules: paragraphs in document order separated by `\n`; `w:t` text kept
//! exactly (upper-cased where the run sets `w:caps`); `w:tab`/`w:ptab` → `\t`;
//! `w:br`/`w:cr` → `\n`; `w:softHyphen` → U+00AD; `w:noBreakHyphen` → U+2011; `w:sym`
//! → its character; a table is written in place, cells separated by `\t`, rows by `\n`,
//! and also returned in `tables` (merged cells appear once: continuation cells are
//! empty). Tracked changes are shown accepted: `w:del`, `w:moveFrom` and deleted
//! paragraph marks are dropped, `w:ins`/`w:moveTo` kept. Field instructions
//! (`w:instrText`) are dropped, field results kept. Of an `mc:AlternateContent`, only
//! the first `mc:Choice` is read. Every other wrapper (hyperlinks, content controls,
//! smart tags, custom XML, `w:dir`, `w:bdo`, text boxes) is transparent. Elements are
//! matched by local name, so strict and transitional namespaces read alike.

use crate::error::{ExtractionError, Result};
use crate::limits::{Config, MAX_RESULT_OBJECTS};
use crate::result::Table;
use crate::xml::{self, Reader, Tag as XmlTag, Token};

use super::symbol;

/// What kind of part is walked: decides how top-level items are collected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StoryKind {
    /// Body, header or footer: every paragraph is text.
    Flow,
    /// Footnotes or endnotes: separator notes are skipped.
    Notes,
    /// Comments: each `w:comment` becomes one item, not text.
    Comments,
}

/// A header or footer reference of a section: its `w:type` and relationship id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartReference {
    /// Index of the section (`w:sectPr`) in document order.
    pub section: u32,
    pub is_header: bool,
    /// 0 = first page, 1 = default, 2 = even pages (the output order within a section).
    pub order: u8,
    pub rel_id: String,
}

/// What one walk produced.
#[derive(Debug, Default)]
pub struct Story {
    pub text: String,
    pub tables: Vec<Table>,
    /// Comments only: one text per `w:comment`.
    pub items: Vec<String>,
    /// Header/footer references of every section, in document order.
    pub references: Vec<PartReference>,
    /// Local name of the root element (`document` for a main part).
    pub root: String,
    /// Relationship ids of SmartArt diagram data parts (`dgm:relIds r:dm`), in document order.
    pub diagrams: Vec<String>,
}

/// What the story parts of one document may still produce, together: carried from one part's
/// walk to the next, so that spreading the work over many parts (hundreds of headers) gains
/// nothing over putting it in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Tables, rows, cells and comments produced so far (at most [`MAX_RESULT_OBJECTS`]).
    pub objects: u64,
    /// Bytes nested tables may still copy into their parent cells: nesting copies the inner
    /// text once per level, so a small document could otherwise multiply its output.
    pub copy_bytes: u64,
    /// Bytes of text the parts may still produce: their text, their table cells (a table's
    /// text is in both) and their comments, UTF-8. Upper-casing (`w:caps`: U+0390 grows from 2
    /// to 6 bytes) and tables made a 123 KB file give 189M characters, which took 1.8–2.5 GiB
    /// once the bridges had converted them.
    pub text_bytes: u64,
}

impl Budget {
    /// A document's budget before its first part: no objects, a quarter of
    /// `config.max_decompressed_bytes` to copy, and `max_decompressed_bytes` of text (what
    /// that limit's "text produced" means for DOCX).
    pub fn new(config: &Config) -> Self {
        Budget {
            objects: 0,
            copy_bytes: config.max_decompressed_bytes / 4,
            text_bytes: config.max_decompressed_bytes,
        }
    }

    /// Spends the text of a walked part.
    ///
    /// Errors: `LimitExceeded` when the document's parts have produced more text than the limit.
    fn spend_text(&mut self, story: &Story, part: &str, config: &Config) -> Result<()> {
        let cells: usize = story
            .tables
            .iter()
            .flatten()
            .flatten()
            .map(String::len)
            .sum();
        let items: usize = story.items.iter().map(String::len).sum();
        let produced = (story.text.len() + cells + items) as u64;
        self.text_bytes = self.text_bytes.checked_sub(produced).ok_or_else(|| {
            ExtractionError::limit(format!(
                "the document gives more text than the limit of {} bytes (at {part})",
                config.max_decompressed_bytes
            ))
        })?;
        Ok(())
    }
}

/// Where text goes: the story, a table cell or a comment being read.
#[derive(Default)]
struct Sink {
    text: String,
    /// Blocks (paragraphs, tables) started so far: every block after the first gets a `\n`.
    blocks: usize,
}

impl Sink {
    fn start_block(&mut self) {
        if self.blocks > 0 {
            self.text.push('\n');
        }
        self.blocks += 1;
    }
}

/// A table being read; `slot` is its index in `tables` (reserved where it starts).
struct TableBuilder {
    slot: usize,
    rows: Table,
    row: Vec<String>,
}

/// Open elements that matter to the walk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Paragraph,
    ParagraphProps,
    MarkProps,
    Run,
    RunProps,
    Text,
    Table,
    Row,
    Cell,
    Item,
    SectionProps,
    AlternateContent { chose: bool },
    Choice,
    Other,
}

/// The elements the walk treats specially, by local name; everything else is `Other`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Element {
    Paragraph,
    ParagraphProps,
    RunProps,
    Run,
    Fonts,
    Caps,
    Text,
    /// `tab`, `ptab`.
    Tab,
    /// `br`, `cr`.
    Break,
    SoftHyphen,
    NoBreakHyphen,
    /// `sym`, `symEx`.
    Symbol,
    Table,
    Row,
    Cell,
    AlternateContent,
    Choice,
    SectionProps,
    HeaderReference,
    FooterReference,
    RelIds,
    /// `footnote`, `endnote`.
    Note,
    Comment,
    /// Elements whose whole subtree is not text a reader sees (`del`, `moveFrom`,
    /// `instrText`, `delText`, `Fallback`, `sdtPr`, `sdtEndPr`).
    Skipped,
    Other,
}

impl Element {
    /// Classifies a local name with one switch on its length and first byte, then at
    /// most a few compares of known length (the walk does this for every start tag,
    /// about 100k times in a large body: a chain of string compares cost ~85
    /// instructions per tag, this ~15).
    #[inline(always)]
    fn of(local: &str) -> Element {
        use Element::*;
        let first = local.as_bytes().first().copied().unwrap_or(0);
        match (local.len(), first) {
            (1, b'p') => Paragraph,
            (1, b'r') => Run,
            (1, b't') => Text,
            (2, b'b') if local == "br" => Break,
            (2, b'c') if local == "cr" => Break,
            (2, b't') if local == "tr" => Row,
            (2, b't') if local == "tc" => Cell,
            (3, b'p') if local == "pPr" => ParagraphProps,
            (3, b'r') if local == "rPr" => RunProps,
            (3, b't') if local == "tab" => Tab,
            (3, b't') if local == "tbl" => Table,
            (3, b's') if local == "sym" => Symbol,
            (3, b'd') if local == "del" => Skipped,
            (4, b'c') if local == "caps" => Caps,
            (4, b'p') if local == "ptab" => Tab,
            (5, b's') if local == "symEx" => Symbol,
            (5, b's') if local == "sdtPr" => Skipped,
            (6, b'r') if local == "rFonts" => Fonts,
            (6, b's') if local == "sectPr" => SectionProps,
            (6, b'r') if local == "relIds" => RelIds,
            (6, b'C') if local == "Choice" => Choice,
            (7, b'e') if local == "endnote" => Note,
            (7, b'c') if local == "comment" => Comment,
            (7, b'd') if local == "delText" => Skipped,
            (8, b'f') if local == "footnote" => Note,
            (8, b'm') if local == "moveFrom" => Skipped,
            (8, b'F') if local == "Fallback" => Skipped,
            (8, b's') if local == "sdtEndPr" => Skipped,
            (9, b'i') if local == "instrText" => Skipped,
            (10, b's') if local == "softHyphen" => SoftHyphen,
            (13, b'n') if local == "noBreakHyphen" => NoBreakHyphen,
            (15, b'h') if local == "headerReference" => HeaderReference,
            (15, b'f') if local == "footerReference" => FooterReference,
            (16, b'A') if local == "AlternateContent" => AlternateContent,
            _ => Other,
        }
    }
}

/// Note types that hold separators, not text.
fn is_separator_note(kind: &str) -> bool {
    matches!(
        kind,
        "separator" | "continuationSeparator" | "continuationNotice"
    )
}

/// `true` unless an on/off attribute says off (`w:val="0|false|off"`).
fn on_off(e: &XmlTag<'_>) -> bool {
    !matches!(e.attribute("val").as_deref(), Some("0" | "false" | "off"))
}

struct Walker<'b> {
    kind: StoryKind,
    sinks: Vec<Sink>,
    open_tables: Vec<TableBuilder>,
    tags: Vec<Tag>,
    story: Story,
    /// The current run sets `w:caps`.
    caps: bool,
    /// The current run is set in the Symbol font (`w:rFonts w:ascii="Symbol"`).
    symbol_font: bool,
    /// The previous paragraph's mark was deleted: the next paragraph continues it.
    merge_next: bool,
    /// Sections (`w:sectPr`) closed so far.
    sections: u32,
    /// The document's budget, spent by this part too.
    budget: &'b mut Budget,
}

/// Walks the story part `xml` (named `part`, for messages), spending the document's `budget`.
///
/// Errors: `Corrupt` for malformed XML; `LimitExceeded` past `config.max_xml_depth`, past
/// [`MAX_RESULT_OBJECTS`] or when nested tables copy more than the budget's bytes.
pub fn walk(
    xml: &str,
    part: &str,
    kind: StoryKind,
    config: &Config,
    budget: &mut Budget,
) -> Result<Story> {
    let mut w = Walker {
        kind,
        sinks: vec![Sink {
            text: String::with_capacity(xml.len() / 8),
            blocks: 0,
        }],
        open_tables: Vec::new(),
        tags: Vec::with_capacity(64),
        story: Story::default(),
        caps: false,
        symbol_font: false,
        merge_next: false,
        sections: 0,
        budget,
    };
    let mut reader = Reader::new(xml, part, config.max_xml_depth);
    // Depth of the skipped element we are inside, if any.
    let mut skip_at: Option<usize> = None;
    while let Some(token) = reader.next()? {
        match token {
            Token::Start(e) => {
                if reader.depth() == 1 {
                    w.story.root = e.local().to_owned();
                }
                if skip_at.is_none() {
                    match w.start(&e) {
                        Some(tag) => w.tags.push(tag),
                        None => skip_at = Some(reader.depth()),
                    }
                }
            }
            Token::End => match skip_at {
                // The element that closed was at depth + 1.
                Some(d) if d == reader.depth() + 1 => skip_at = None,
                Some(_) => {}
                None => {
                    let tag = w
                        .tags
                        .pop()
                        .expect("the reader checked that an element was open");
                    w.end(tag, part, config)?;
                }
            },
            // An empty element is a start immediately followed by its end.
            Token::Empty(e) if skip_at.is_none() => {
                if reader.depth() == 0 {
                    w.story.root = e.local().to_owned();
                }
                match w.start(&e) {
                    Some(tag) => w.end(tag, part, config)?,
                    None => w.skipped_empty(&e),
                }
            }
            Token::Text(raw) if skip_at.is_none() && w.in_text() => {
                w.push_raw(raw, reader.is_plain_text(raw)).map_err(|at| {
                    reader.malformed(
                        reader.offset_of(raw) + at,
                        "an entity reference without `;`",
                    )
                })?;
            }
            Token::CData(text) if skip_at.is_none() && w.in_text() => w.push_text(text),
            _ => {}
        }
    }
    let mut story = w.story;
    story.text = w.sinks.swap_remove(0).text;
    w.budget.spend_text(&story, part, config)?;
    Ok(story)
}

impl Walker<'_> {
    fn sink(&mut self) -> &mut Sink {
        self.sinks
            .last_mut()
            .expect("the story sink is never popped")
    }

    fn in_text(&self) -> bool {
        self.tags.last() == Some(&Tag::Text)
    }

    /// The innermost open element, looking through `mc:AlternateContent`/`mc:Choice`
    /// (a run's content may sit inside them).
    fn parent(&self) -> Option<Tag> {
        self.tags
            .iter()
            .rev()
            .find(|t| !matches!(t, Tag::AlternateContent { .. } | Tag::Choice))
            .copied()
    }

    /// Appends raw character data (references not yet decoded) to the current sink.
    /// `plain`: `raw` is known to decode to itself ([`Reader::is_plain_text`]).
    fn push_raw(&mut self, raw: &str, plain: bool) -> std::result::Result<(), usize> {
        if self.symbol_font || self.caps {
            let mut decoded = String::with_capacity(raw.len());
            xml::push_text(&mut decoded, raw)?;
            self.push_text(&decoded);
            Ok(())
        } else if plain {
            self.sink().text.push_str(raw);
            Ok(())
        } else {
            xml::push_text(&mut self.sink().text, raw)
        }
    }

    /// Appends decoded text to the current sink, as the run shows it (symbol font, caps).
    fn push_text(&mut self, text: &str) {
        if self.symbol_font {
            let mapped: String = text
                .chars()
                .map(|c| {
                    symbol::to_unicode(c as u32)
                        .filter(|_| c > '\u{F000}')
                        .unwrap_or(c)
                })
                .collect();
            self.sink().text.push_str(&mapped);
        } else if self.caps {
            let upper = text.to_uppercase();
            self.sink().text.push_str(&upper);
        } else {
            self.sink().text.push_str(text);
        }
    }

    /// Pushes a character produced by a run-level element (tab, break, hyphen, symbol).
    fn push_run_char(&mut self, c: char) -> Tag {
        if self.parent() == Some(Tag::Run) {
            self.sink().text.push(c);
        }
        Tag::Other
    }

    /// Handles a start tag: the tag to keep open, or `None` when the element's subtree
    /// is to be skipped. The common elements are handled here, inlined into the walk;
    /// structure (tables, sections, notes, …) in [`Self::start_structure`].
    #[inline(always)]
    fn start(&mut self, e: &XmlTag<'_>) -> Option<Tag> {
        let tag = match Element::of(e.local()) {
            Element::Other => Tag::Other,
            Element::Paragraph => {
                if std::mem::take(&mut self.merge_next) {
                    // The previous paragraph mark was deleted: same block continues.
                } else {
                    self.sink().start_block();
                }
                Tag::Paragraph
            }
            Element::ParagraphProps if self.parent() == Some(Tag::Paragraph) => Tag::ParagraphProps,
            Element::RunProps => match self.parent() {
                Some(Tag::ParagraphProps) => Tag::MarkProps,
                Some(Tag::Run) => Tag::RunProps,
                _ => Tag::Other,
            },
            Element::Run => {
                self.caps = false;
                self.symbol_font = false;
                Tag::Run
            }
            Element::Fonts if self.parent() == Some(Tag::RunProps) => {
                // Most runs name another font: one byte scan rules "Symbol" out before
                // the attributes are parsed (callgrind, handbook-872p: ~2.2k tags).
                self.symbol_font = e.may_have_value("Symbol")
                    && e.attribute("ascii").is_some_and(|f| f == "Symbol");
                Tag::Other
            }
            Element::Caps if self.parent() == Some(Tag::RunProps) => {
                self.caps = on_off(e);
                Tag::Other
            }
            Element::Text if self.parent() == Some(Tag::Run) => Tag::Text,
            Element::Tab => self.push_run_char('\t'),
            Element::Break => self.push_run_char('\n'),
            Element::Skipped => return None,
            Element::ParagraphProps | Element::Fonts | Element::Caps | Element::Text => Tag::Other,
            element => return self.start_structure(element, e),
        };
        Some(tag)
    }

    /// [`Self::start`] for the less common elements.
    fn start_structure(&mut self, element: Element, e: &XmlTag<'_>) -> Option<Tag> {
        let tag = match element {
            Element::SoftHyphen => self.push_run_char('\u{00AD}'),
            Element::NoBreakHyphen => self.push_run_char('\u{2011}'),
            Element::Symbol => {
                match e
                    .attribute("char")
                    .and_then(|c| u32::from_str_radix(&c, 16).ok())
                {
                    Some(code) => {
                        let symbol_font = e.attribute("font").is_some_and(|f| f == "Symbol");
                        let mapped = symbol_font.then(|| symbol::to_unicode(code)).flatten();
                        self.push_run_char(
                            mapped
                                .or_else(|| char::from_u32(code))
                                .unwrap_or('\u{FFFD}'),
                        )
                    }
                    None => Tag::Other,
                }
            }
            Element::Table => {
                self.sink().start_block();
                self.open_tables.push(TableBuilder {
                    slot: self.story.tables.len(),
                    rows: Vec::new(),
                    row: Vec::new(),
                });
                self.story.tables.push(Vec::new());
                Tag::Table
            }
            Element::Row => Tag::Row,
            Element::Cell => {
                self.sinks.push(Sink::default());
                Tag::Cell
            }
            Element::AlternateContent => Tag::AlternateContent { chose: false },
            Element::Choice => match self.tags.last_mut() {
                Some(Tag::AlternateContent { chose: true }) => return None,
                Some(Tag::AlternateContent { chose }) => {
                    *chose = true;
                    Tag::Choice
                }
                _ => Tag::Other,
            },
            Element::SectionProps => Tag::SectionProps,
            Element::HeaderReference | Element::FooterReference => {
                self.reference(e, element == Element::HeaderReference);
                Tag::Other
            }
            Element::RelIds => {
                if let Some(id) = e.attribute("dm") {
                    self.story.diagrams.push(id.into_owned());
                }
                Tag::Other
            }
            Element::Note if self.kind == StoryKind::Notes => {
                if e.attribute("type").is_some_and(|t| is_separator_note(&t)) {
                    return None;
                }
                Tag::Other
            }
            Element::Comment if self.kind == StoryKind::Comments => {
                self.sinks.push(Sink::default());
                Tag::Item
            }
            _ => Tag::Other,
        };
        Some(tag)
    }

    /// An empty element that [`Self::start`] skipped: a deleted paragraph mark
    /// (`w:pPr/w:rPr/w:del`) joins this paragraph to the next.
    fn skipped_empty(&mut self, e: &XmlTag<'_>) {
        if e.local() == "del" && self.parent() == Some(Tag::MarkProps) {
            self.merge_next = true;
        }
    }

    fn reference(&mut self, e: &XmlTag<'_>, is_header: bool) {
        let order = match e.attribute("type").as_deref() {
            Some("first") => 0,
            Some("even") => 2,
            _ => 1,
        };
        if let Some(rel_id) = e.attribute("id") {
            let section = self.sections;
            self.story.references.push(PartReference {
                section,
                is_header,
                order,
                rel_id: rel_id.into_owned(),
            });
        }
    }

    /// Handles the end of the element opened as `tag`.
    #[inline(always)]
    fn end(&mut self, tag: Tag, part: &str, config: &Config) -> Result<()> {
        match tag {
            Tag::Cell => {
                self.count_object(part)?;
                let cell = self.sinks.pop().expect("a cell pushed its sink").text;
                if let Some(t) = self.open_tables.last_mut() {
                    t.row.push(cell);
                }
            }
            Tag::Row => {
                self.count_object(part)?;
                if let Some(t) = self.open_tables.last_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            Tag::Table => {
                self.count_object(part)?;
                return self.end_table(part, config);
            }
            Tag::Item => {
                self.count_object(part)?;
                let item = self.sinks.pop().expect("an item pushed its sink").text;
                self.story.items.push(item);
            }
            Tag::Run => {
                self.caps = false;
                self.symbol_font = false;
            }
            Tag::SectionProps => self.sections += 1,
            _ => {}
        }
        Ok(())
    }

    /// One more table, row, cell or comment in the document.
    ///
    /// Errors: `LimitExceeded` past [`MAX_RESULT_OBJECTS`].
    #[inline(always)]
    fn count_object(&mut self, part: &str) -> Result<()> {
        self.budget.objects += 1;
        if self.budget.objects > MAX_RESULT_OBJECTS {
            return Err(ExtractionError::limit(format!(
                "more than {MAX_RESULT_OBJECTS} tables, rows, cells and comments (at {part})"
            )));
        }
        Ok(())
    }

    /// A table closes: its text goes to the enclosing sink, its rows to `tables`.
    ///
    /// Errors: `LimitExceeded` when nested tables copy more than the copy budget.
    #[cold]
    fn end_table(&mut self, part: &str, config: &Config) -> Result<()> {
        let t = self.open_tables.pop().expect("a table pushed its builder");
        if !self.open_tables.is_empty() {
            let copied: usize = t.rows.iter().flatten().map(|c| c.len() + 1).sum();
            self.budget.copy_bytes = self
                .budget
                .copy_bytes
                .checked_sub(copied as u64)
                .ok_or_else(|| {
                    ExtractionError::limit(format!(
                        "nested tables copy more text than the limit of {} bytes (at {part})",
                        config.max_decompressed_bytes / 4
                    ))
                })?;
        }
        let sink = self.sink();
        for (i, row) in t.rows.iter().enumerate() {
            if i > 0 {
                sink.text.push('\n');
            }
            for (j, cell) in row.iter().enumerate() {
                if j > 0 {
                    sink.text.push('\t');
                }
                sink.text.push_str(cell);
            }
        }
        self.story.tables[t.slot] = t.rows;
        Ok(())
    }
}

/// A part walked as a whole document: with a budget of its own.
#[cfg(test)]
fn walk_alone(xml: &str, part: &str, kind: StoryKind, config: &Config) -> Result<Story> {
    walk(xml, part, kind, config, &mut Budget::new(config))
}

/// Convenience for tests: the text and tables of a body.
#[cfg(test)]
fn text_of(body: &str) -> (String, Vec<Table>) {
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body>{body}</w:body></w:document>"#
    );
    let story = walk_alone(&xml, "word/document.xml", StoryKind::Flow, &Config::DEFAULT).unwrap();
    (story.text, story.tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_separated_by_newline_and_text_kept_exactly() {
        let (c, _) = text_of(
            r#"<w:p><w:r><w:t xml:space="preserve"> a </w:t></w:r></w:p><w:p/><w:p><w:r><w:t>b</w:t></w:r></w:p>"#,
        );
        assert_eq!(c, " a \n\nb");
    }

    #[test]
    fn run_level_characters_inside_runs_only() {
        let (c, _) = text_of(concat!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:t>x</w:t><w:tab/><w:t>&amp;&#233;</w:t><w:br/>"#,
            r#"<w:t>y</w:t><w:softHyphen/><w:noBreakHyphen/><w:sym w:font="Symbol" w:char="03A9"/></w:r></w:p>"#
        ));
        assert_eq!(c, "x\t&é\ny\u{AD}\u{2011}Ω");
    }

    #[test]
    fn a_run_font_is_symbol_only_when_its_ascii_font_is_symbol() {
        let run = |fonts: &str| {
            text_of(&format!(
                r#"<w:p><w:r><w:rPr>{fonts}</w:rPr><w:t>&#xF061;</w:t></w:r></w:p>"#
            ))
            .0
        };
        let (mapped, unmapped) = ("α", "\u{F061}");
        // Without "Symbol" anywhere in the tag: not a symbol font.
        assert_eq!(
            run(r#"<w:rFonts w:ascii="Times New Roman" w:cs="Arial"/>"#),
            unmapped
        );
        assert_eq!(run(r#"<w:rFonts w:ascii="Symbol"/>"#), mapped);
        // "Symbol" only in another attribute: not a symbol font.
        assert_eq!(
            run(r#"<w:rFonts w:ascii="Arial" w:hAnsi="Symbol"/>"#),
            unmapped
        );
        // Spelled with a reference: still the Symbol font.
        assert_eq!(run(r#"<w:rFonts w:ascii="&#83;ymbol"/>"#), mapped);
    }

    #[test]
    fn symbol_font_characters_become_unicode() {
        let (c, _) = text_of(concat!(
            r#"<w:p><w:r><w:sym w:font="Symbol" w:char="F0DA"/></w:r><w:r><w:sym w:font="Wingdings" w:char="F04A"/></w:r>"#,
            r#"<w:r><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr><w:t>a</w:t></w:r><w:r><w:t></w:t></w:r></w:p>"#
        ));
        assert_eq!(c, "∨\u{F04A}(a\u{F028}");
    }

    #[test]
    fn tables_are_written_in_place_and_returned() {
        let (c, t) = text_of(concat!(
            r#"<w:p><w:r><w:t>before</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr>"#,
            r#"<w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>d</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:t>after</w:t></w:r></w:p>"#
        ));
        assert_eq!(c, "before\na\tb\n\td\nafter");
        assert_eq!(
            t,
            vec![vec![
                vec!["a".to_owned(), "b".to_owned()],
                vec!["".to_owned(), "d".to_owned()]
            ]]
        );
    }

    #[test]
    fn nested_tables_are_listed_outer_first_and_written_inside_the_cell() {
        let (c, t) = text_of(concat!(
            r#"<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>in</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t>out</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#
        ));
        assert_eq!(c, "in\tout");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0][0], vec!["in", "out"]);
        assert_eq!(t[1][0], vec!["in"]);
    }

    #[test]
    fn tracked_changes_are_shown_accepted() {
        let (c, _) = text_of(concat!(
            r#"<w:p><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:ins><w:r><w:t>kept</w:t></w:r></w:ins>"#,
            r#"<w:moveFrom><w:r><w:t>moved away</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>-here</w:t></w:r></w:moveTo></w:p>"#,
            r#"<w:p><w:pPr><w:rPr><w:del w:id="1"/></w:rPr></w:pPr><w:r><w:t>joined </w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>paragraph</w:t></w:r></w:p>"#
        ));
        assert_eq!(c, "kept-here\njoined paragraph");
    }

    #[test]
    fn field_instructions_are_dropped_and_results_kept() {
        let (c, _) = text_of(concat!(
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> AUTHOR </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Ann</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            r#"<w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>"#
        ));
        assert_eq!(c, "Ann7");
    }

    #[test]
    fn alternate_content_reads_only_the_first_choice() {
        let (c, _) = text_of(concat!(
            r#"<w:p><mc:AlternateContent xmlns:mc="urn:mc"><mc:Choice Requires="a"><w:r><w:t>A</w:t></w:r></mc:Choice>"#,
            r#"<mc:Choice Requires="b"><w:r><w:t>B</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>F</w:t></w:r></mc:Fallback>"#,
            r#"</mc:AlternateContent></w:p>"#
        ));
        assert_eq!(c, "A");
    }

    #[test]
    fn run_content_inside_alternate_content_is_read() {
        let (c, _) = text_of(concat!(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="w16se"><w16se:symEx w16se:char="1F60F"/></mc:Choice>"#,
            r#"<mc:Fallback><w:t>x</w:t></mc:Fallback></mc:AlternateContent></w:r>"#,
            r#"<w:r><mc:AlternateContent><mc:Choice><w:t>t</w:t></mc:Choice></mc:AlternateContent></w:r></w:p>"#
        ));
        assert_eq!(c, "😏t");
    }

    #[test]
    fn caps_on_the_run_upper_cases_its_text_only() {
        let (c, _) = text_of(concat!(
            r#"<w:p><w:r><w:t>is: </w:t></w:r><w:r><w:rPr><w:caps/></w:rPr><w:t>capitalized</w:t></w:r>"#,
            r#"<w:r><w:rPr><w:caps w:val="0"/></w:rPr><w:t>.x</w:t></w:r></w:p>"#
        ));
        assert_eq!(c, "is: CAPITALIZED.x");
    }

    #[test]
    fn content_controls_and_wrappers_are_transparent() {
        let (c, _) = text_of(concat!(
            r#"<w:sdt><w:sdtPr><w:alias w:val="x"/><w:placeholder><w:docPart w:val="y"/></w:placeholder></w:sdtPr>"#,
            r#"<w:sdtContent><w:p><w:smartTag><w:r><w:t>a</w:t></w:r></w:smartTag><w:hyperlink><w:r><w:t>b</w:t></w:r></w:hyperlink>"#,
            r#"<w:dir><w:bdo><w:customXml><w:r><w:t>c</w:t></w:r></w:customXml></w:bdo></w:dir></w:p></w:sdtContent></w:sdt>"#
        ));
        assert_eq!(c, "abc");
    }

    #[test]
    fn separator_notes_are_skipped_and_comments_become_items() {
        let notes = concat!(
            r#"<w:footnotes><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"#,
            r#"<w:footnote w:id="1"><w:p><w:r><w:t>Note.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let s = walk_alone(
            notes,
            "word/footnotes.xml",
            StoryKind::Notes,
            &Config::DEFAULT,
        )
        .unwrap();
        assert_eq!(s.text, "Note.");
        let comments = concat!(
            r#"<w:comments><w:comment w:id="0"><w:p><w:r><w:t>one</w:t></w:r></w:p><w:p><w:r><w:t>two</w:t></w:r></w:p></w:comment>"#,
            r#"<w:comment w:id="1"><w:p><w:r><w:t>three</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let s = walk_alone(
            comments,
            "word/comments.xml",
            StoryKind::Comments,
            &Config::DEFAULT,
        )
        .unwrap();
        assert_eq!(s.items, vec!["one\ntwo", "three"]);
        assert_eq!(s.text, "");
    }

    #[test]
    fn section_references_are_collected_in_document_order() {
        let xml = concat!(
            r#"<w:document><w:body><w:p><w:pPr><w:sectPr><w:headerReference w:type="default" r:id="rId1"/>"#,
            r#"<w:footerReference w:type="first" r:id="rId2"/></w:sectPr></w:pPr></w:p>"#,
            r#"<w:sectPr><w:headerReference w:type="even" r:id="rId3"/></w:sectPr></w:body></w:document>"#
        );
        let s = walk_alone(xml, "word/document.xml", StoryKind::Flow, &Config::DEFAULT).unwrap();
        let ids: Vec<_> = s
            .references
            .iter()
            .map(|r| (r.section, r.is_header, r.order, r.rel_id.as_str()))
            .collect();
        assert_eq!(
            ids,
            vec![
                (0, true, 1, "rId1"),
                (0, false, 0, "rId2"),
                (1, true, 2, "rId3")
            ]
        );
    }

    #[test]
    fn nested_tables_cannot_multiply_the_output_past_the_limit() {
        // Regression: each nesting level copied the inner text again (80 levels → 80×).
        let levels = 40;
        let body = "<w:tbl><w:tr><w:tc>".repeat(levels)
            + &format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "a".repeat(10_000))
            + &"</w:tc></w:tr></w:tbl>".repeat(levels);
        let xml = format!("<w:document><w:body>{body}</w:body></w:document>");
        let config = Config {
            max_decompressed_bytes: 400_000,
            ..Config::DEFAULT
        };
        let err = walk_alone(&xml, "word/document.xml", StoryKind::Flow, &config).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::LimitExceeded);
        assert!(walk_alone(&xml, "word/document.xml", StoryKind::Flow, &Config::DEFAULT).is_ok());
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_limit_exceeded() {
        let body = "<x>".repeat(300) + &"</x>".repeat(300);
        let xml = format!("<w:document><w:body>{body}</w:body></w:document>");
        let err =
            walk_alone(&xml, "word/document.xml", StoryKind::Flow, &Config::DEFAULT).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::LimitExceeded);
    }

    #[test]
    fn unknown_entities_are_never_expanded() {
        let (c, _) = text_of(r#"<w:p><w:r><w:t>a&ext;b</w:t></w:r></w:p>"#);
        assert_eq!(c, "ab");
    }

    #[test]
    fn local_names_classify_exactly_and_near_misses_are_other() {
        use Element::*;
        for (local, element) in [
            ("p", Paragraph),
            ("pPr", ParagraphProps),
            ("rPr", RunProps),
            ("r", Run),
            ("rFonts", Fonts),
            ("caps", Caps),
            ("t", Text),
            ("tab", Tab),
            ("ptab", Tab),
            ("br", Break),
            ("cr", Break),
            ("softHyphen", SoftHyphen),
            ("noBreakHyphen", NoBreakHyphen),
            ("sym", Symbol),
            ("symEx", Symbol),
            ("tbl", Table),
            ("tr", Row),
            ("tc", Cell),
            ("AlternateContent", AlternateContent),
            ("Choice", Choice),
            ("sectPr", SectionProps),
            ("headerReference", HeaderReference),
            ("footerReference", FooterReference),
            ("relIds", RelIds),
            ("footnote", Note),
            ("endnote", Note),
            ("comment", Comment),
            ("del", Skipped),
            ("moveFrom", Skipped),
            ("instrText", Skipped),
            ("delText", Skipped),
            ("Fallback", Skipped),
            ("sdtPr", Skipped),
            ("sdtEndPr", Skipped),
        ] {
            assert_eq!(Element::of(local), element, "{local}");
        }
        // Same length and first byte as a known name, or a prefix of one.
        for local in [
            "", "b", "ta", "tx", "pPx", "rPR", "tbx", "caps2", "Choise", "sdtPrx",
        ] {
            assert_eq!(Element::of(local), Other, "{local}");
        }
    }

    #[test]
    fn mismatched_tags_are_corrupt() {
        let xml = "<w:document><w:body><w:p></w:body></w:document>";
        let err =
            walk_alone(xml, "word/document.xml", StoryKind::Flow, &Config::DEFAULT).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::Corrupt);
    }

    /// `result` is the `LimitExceeded` error of part `part`.
    fn assert_limit_exceeded_at(result: Result<Story>, part: &str) {
        let e = result.unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::LimitExceeded, "{}", e.message);
        assert!(
            e.message.ends_with(&format!("(at {part})")),
            "{}",
            e.message
        );
    }

    /// The message of the `LimitExceeded` error that walking `xml` alone gives.
    fn limit_message(xml: &str, part: &str, kind: StoryKind) -> String {
        let e = walk_alone(xml, part, kind, &Config::DEFAULT).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::LimitExceeded, "{}", e.message);
        e.message
    }

    fn table_of_rows(rows: u64, row: &str) -> String {
        format!(
            "<w:document><w:body><w:tbl>{}</w:tbl></w:body></w:document>",
            row.repeat(rows as usize)
        )
    }

    #[test]
    fn more_tables_rows_and_cells_than_the_limit_is_limit_exceeded() {
        // Regression: 3M one-cell tables (a 306 KB file) took 1.6 GB; 15M empty rows 1.4–4.3 GB.
        let at_limit = table_of_rows(MAX_RESULT_OBJECTS - 1, "<w:tr/>"); // + the table itself
        let mut budget = Budget::new(&Config::DEFAULT);
        walk(
            &at_limit,
            "word/document.xml",
            StoryKind::Flow,
            &Config::DEFAULT,
            &mut budget,
        )
        .unwrap();
        assert_eq!(budget.objects, MAX_RESULT_OBJECTS);
        let over = table_of_rows(MAX_RESULT_OBJECTS, "<w:tr/>");
        let message = limit_message(&over, "word/document.xml", StoryKind::Flow);
        assert!(
            message.contains("tables, rows, cells and comments"),
            "{message}"
        );
    }

    #[test]
    fn a_table_counts_itself_its_rows_and_its_cells_and_a_comment_itself() {
        let mut budget = Budget::new(&Config::DEFAULT);
        let xml = table_of_rows(2, "<w:tr><w:tc/><w:tc/></w:tr>");
        walk(
            &xml,
            "word/document.xml",
            StoryKind::Flow,
            &Config::DEFAULT,
            &mut budget,
        )
        .unwrap();
        assert_eq!(budget.objects, 1 + 2 + 4);
        let comments = "<w:comments><w:comment/><w:comment><w:p/></w:comment></w:comments>";
        walk(
            comments,
            "word/comments.xml",
            StoryKind::Comments,
            &Config::DEFAULT,
            &mut budget,
        )
        .unwrap();
        assert_eq!(budget.objects, 1 + 2 + 4 + 2);
    }

    #[test]
    fn more_comments_than_the_limit_is_limit_exceeded() {
        // Regression: 10M empty comments (a 234 KB file) took 1.9 GB and 22 s on ctypes.
        let xml = format!(
            "<w:comments>{}</w:comments>",
            "<w:comment/>".repeat(MAX_RESULT_OBJECTS as usize + 1)
        );
        let message = limit_message(&xml, "word/comments.xml", StoryKind::Comments);
        assert!(message.ends_with("(at word/comments.xml)"), "{message}");
    }

    #[test]
    fn more_text_than_the_limit_over_the_parts_is_limit_exceeded() {
        // Regression: upper-casing (w:caps) and tables made a 123 KB file give 189M characters.
        let config = Config {
            max_decompressed_bytes: 25_000,
            ..Config::DEFAULT
        };
        let cell = format!(
            "<w:hdr><w:tbl><w:tr><w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:hdr>",
            "a".repeat(7_000)
        );
        let mut budget = Budget::new(&config);
        walk(
            &cell,
            "word/header1.xml",
            StoryKind::Flow,
            &config,
            &mut budget,
        )
        .unwrap();
        assert_eq!(budget.text_bytes, 25_000 - 2 * 7_000); // the text and the table's cell
        let second = walk(
            &cell,
            "word/header2.xml",
            StoryKind::Flow,
            &config,
            &mut budget,
        );
        assert_limit_exceeded_at(second, "word/header2.xml");
    }

    #[test]
    fn the_budget_spans_parts_so_spreading_work_over_them_gains_nothing() {
        // Regression: the copy budget started again in each part, so 320 headers of tables
        // nested 83 deep around a 400 KB cell (a 222 KB file) took over 4 GiB and aborted.
        let nested = |levels: usize| {
            let body = "<w:tbl><w:tr><w:tc>".repeat(levels)
                + &format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "a".repeat(10_000))
                + &"</w:tc></w:tr></w:tbl>".repeat(levels);
            format!("<w:hdr>{body}</w:hdr>")
        };
        let config = Config {
            max_decompressed_bytes: 400_000, // 100,000 bytes to copy: 9 levels' worth
            ..Config::DEFAULT
        };
        let mut budget = Budget::new(&config);
        walk(
            &nested(6),
            "word/header1.xml",
            StoryKind::Flow,
            &config,
            &mut budget,
        )
        .unwrap();
        assert_eq!(budget.copy_bytes, 100_000 - 5 * 10_001);
        let second = walk(
            &nested(6),
            "word/header2.xml",
            StoryKind::Flow,
            &config,
            &mut budget,
        );
        assert_limit_exceeded_at(second, "word/header2.xml");

        let mut budget = Budget::new(&Config::DEFAULT);
        let rows = table_of_rows(MAX_RESULT_OBJECTS / 2, "<w:tr/>");
        walk(
            &rows,
            "word/document.xml",
            StoryKind::Flow,
            &Config::DEFAULT,
            &mut budget,
        )
        .unwrap();
        let e = walk(
            &rows,
            "word/header1.xml",
            StoryKind::Flow,
            &Config::DEFAULT,
            &mut budget,
        )
        .unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::LimitExceeded);
    }
}
