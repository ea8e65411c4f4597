//! A pull tokenizer for the XML of OOXML parts, built for extraction speed.
//!
//! Why not a general XML library: on `unstructured/handbook-872p.docx` (a 5.3 MB main
//! part), a bare quick-xml 0.42 event loop took 14.4 ms against 2.24 ms for libdeflate
//! to inflate that part (best of 30, one development measurement on 2026-11-29, not
//! part of the suite), so no walker on top of it could reach issue #3's goal of 3×.
//! This reader does only what extraction needs, on text already checked to be UTF-8:
//! `memchr` finds the next `<`, a tag's end is found by one scan that respects quoted
//! attribute values, attributes are parsed only when asked for
//! ([`Tag::attribute`]), and text is decoded only when the walker keeps it
//! ([`push_text`]).
//!
//! What it checks (anything else is `Corrupt`): every end tag closes the open element
//! of the same qualified name, the input does not end inside markup or inside an open
//! element, tags, comments, processing instructions, CDATA sections and the DOCTYPE
//! are terminated, entity references are terminated by `;`. Nesting deeper than
//! `max_depth` is `LimitExceeded`. Comments, processing instructions and the DOCTYPE
//! (with its internal subset) are skipped: entities declared there are never expanded,
//! so no external entity is read and no billion-laughs expansion can happen.

use std::borrow::Cow;

use memchr::{memchr, memchr2, memchr2_iter};

use crate::error::{ExtractionError, Result};

/// One piece of markup or text, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name …>`: an element opens.
    Start(Tag<'a>),
    /// `<name …/>`: an element opens and closes.
    Empty(Tag<'a>),
    /// `</name>`: the innermost open element closes (its name checked by the reader).
    End,
    /// Character data between markup, raw: references not yet decoded (see [`push_text`]).
    Text(&'a str),
    /// The content of a `<![CDATA[…]]>` section, taken literally.
    CData(&'a str),
}

/// A start tag: its qualified name and the raw text of its attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Qualified name as written (`w:p`).
    pub name: &'a str,
    /// The name without its namespace prefix (see [`Tag::local`]).
    local: &'a str,
    /// Everything between the name and the closing `>` or `/>`.
    attributes: &'a str,
}

impl<'a> Tag<'a> {
    /// The name without its namespace prefix (`p` for `w:p`): strict and transitional
    /// OOXML differ only in namespace URIs, so elements are matched by local name.
    pub fn local(&self) -> &'a str {
        self.local
    }

    /// Value of the first attribute whose local name is `local` (any prefix), with
    /// references decoded and whitespace characters turned into spaces (XML 1.0 §3.3.3);
    /// `None` when absent or when its markup is malformed.
    pub fn attribute(&self, local: &str) -> Option<Cow<'a, str>> {
        self.raw_attributes()
            .find(|&(name, _)| name == local)
            .map(|(_, raw)| attribute_value(raw))
    }

    /// Whether some attribute of this tag may have the value `value` once decoded:
    /// `false` is certain, `true` means look with [`Self::attribute`]. One `memchr2`
    /// pass over the raw attribute text instead of parsing the attributes: a value without a
    /// reference (`&`) decodes to itself with white space turned into spaces, so it
    /// can equal `value` only if `value` appears literally.
    ///
    /// `value` must contain no `&` and no white space (checked in debug builds).
    pub fn may_have_value(&self, value: &str) -> bool {
        debug_assert!(
            !value
                .bytes()
                .any(|b| matches!(b, b'&' | b' ' | b'\t' | b'\n' | b'\r'))
        );
        let raw = self.attributes.as_bytes();
        let Some((&first, rest)) = value.as_bytes().split_first() else {
            return true;
        };
        // Not `memmem::find`: building its searcher costs ~500 instructions a call, more
        // than parsing a typical tag's attributes; a `memchr2` pass costs a few dozen.
        memchr2_iter(b'&', first, raw).any(|i| raw[i] == b'&' || raw[i + 1..].starts_with(rest))
    }

    /// Every attribute in document order as `(local name, raw value)`: the value as
    /// written between its quotes, not yet decoded ([`attribute_value`] does that); the
    /// iteration stops at the first malformed attribute. For a caller that wants several
    /// attributes of one tag in a single pass.
    pub fn raw_attributes(&self) -> RawAttributes<'a> {
        RawAttributes {
            rest: self.attributes,
        }
    }
}

/// The iterator of [`Tag::raw_attributes`].
pub struct RawAttributes<'a> {
    rest: &'a str,
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest.trim_start_matches(is_xml_space);
        let eq = rest.find('=')?;
        let name = rest[..eq].trim_end_matches(is_xml_space);
        let after = rest[eq + 1..].trim_start_matches(is_xml_space);
        let quote = *after.as_bytes().first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let len = memchr(quote, &after.as_bytes()[1..])?;
        self.rest = &after[len + 2..];
        Some((local_name(name), &after[1..1 + len]))
    }
}

fn local_name(name: &str) -> &str {
    match name.bytes().position(|b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Index just past the first `terminator` (which ends with `>`) at or after `from` in
/// `bytes`, if any. Each `>` is checked for the rest of the terminator before it: the
/// first match is the first occurrence. Not `memmem::find`: building its searcher costs
/// ~300 instructions, more than the whole XML declaration of a small part.
pub(crate) fn past_terminator(bytes: &[u8], from: usize, terminator: &[u8]) -> Option<usize> {
    debug_assert_eq!(terminator.last(), Some(&b'>'));
    let mut at = from + terminator.len() - 1;
    while let Some(i) = bytes.get(at..).and_then(|rest| memchr(b'>', rest)) {
        let end = at + i + 1;
        if bytes[..end].ends_with(terminator) {
            return Some(end);
        }
        at = end;
    }
    None
}

/// An attribute value as XML 1.0 §3.3.3 normalises it: literal line ends and tabs
/// become spaces, then references are decoded (so `&#9;` stays a tab).
pub fn attribute_value(raw: &str) -> Cow<'_, str> {
    if !raw
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return Cow::Borrowed(raw);
    }
    let spaced = raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " ");
    let mut decoded = String::with_capacity(spaced.len());
    // A malformed reference in an attribute keeps what was decoded before it.
    let _ = push_text(&mut decoded, &spaced);
    Cow::Owned(decoded)
}

/// Appends the character data `raw` to `out`: character references and the five
/// predefined entities decoded, line ends normalised to `\n` (XML 1.0 §2.11). Any
/// other entity (declared in a DOCTYPE, possibly external) is never expanded and
/// contributes nothing; an invalid character reference contributes nothing either.
///
/// Errors: `Err(offset)` (in `raw`) of a `&` with no `;` after it.
pub fn push_text(out: &mut String, raw: &str) -> std::result::Result<(), usize> {
    let bytes = raw.as_bytes();
    let mut start = 0;
    while let Some(i) = memchr2(b'&', b'\r', &bytes[start..]).map(|i| start + i) {
        out.push_str(&raw[start..i]);
        if bytes[i] == b'\r' {
            out.push('\n');
            start = i + 1 + usize::from(bytes.get(i + 1) == Some(&b'\n'));
            continue;
        }
        let end = memchr(b';', &bytes[i..]).ok_or(i)? + i;
        push_reference(out, &raw[i + 1..end]);
        start = end + 1;
    }
    out.push_str(&raw[start..]);
    Ok(())
}

/// Appends what the reference `&name;` stands for (see [`push_text`]).
fn push_reference(out: &mut String, name: &str) {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code = match name.strip_prefix('#') {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16),
                Some(dec) => dec.parse(),
                None => return,
            };
            match code.ok().and_then(char::from_u32) {
                Some(c) if c != '\0' => c,
                _ => return,
            }
        }
    };
    out.push(c);
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of the bytes of `word` that are below `n` (`n` ≤ 128). Exact for the
/// lowest flagged byte (a borrow only flags bytes above a true one), which is all
/// [`name_len`] uses.
#[inline(always)]
fn bytes_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS
}

/// Length of the tag name at the start of `bytes`: up to the first white space (or any
/// other byte below `!`), `/` or `>`. Eight bytes at a time: most OOXML names
/// (`w:p`, `w:rPr`, `w:rFonts`) take one step.
#[inline]
fn name_len(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let ends = bytes_below(word, b'!')
            | bytes_below(word ^ (ONES * u64::from(b'/')), 1)
            | bytes_below(word ^ (ONES * u64::from(b'>')), 1);
        if ends != 0 {
            return i + (ends.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .position(|&b| b <= b' ' || b == b'/' || b == b'>')
        .unwrap_or(bytes.len() - i)
}

/// Whether `span` (a tag's text up to the first `>`) holds only double quotes, an even
/// number of them, and no `'` or `<`: then that `>` is outside every attribute value.
/// The common case in OOXML, decided in one pass that vectorises, without a branch
/// per byte (the count wraps in a byte: only its parity matters).
#[inline]
fn quotes_balanced(span: &[u8]) -> bool {
    let (quotes, others) = span.iter().fold((0u8, false), |(n, other), &b| {
        (
            n.wrapping_add(u8::from(b == b'"')),
            other | (b == b'\'') | (b == b'<'),
        )
    });
    quotes % 2 == 0 && !others
}

/// Where the markup characters of 16 bytes are: bit `k` of a mask is set when byte
/// `k` is that character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Marks {
    /// `>`.
    gt: u32,
    /// `"`.
    quote: u32,
    /// `'` or `<`.
    other: u32,
    /// Bytes that end a name: white space (any byte below `!`), `/` or `>` (as [`name_len`]).
    stop: u32,
    /// `:`.
    colon: u32,
    /// `<` (where character data ends).
    lt: u32,
    /// `&` or `\r`: what [`push_text`] changes in character data.
    amp_cr: u32,
}

impl Marks {
    /// The marks of the 16 bytes at `at` in `bytes`; `None` when fewer remain.
    #[inline(always)]
    fn at(bytes: &[u8], at: usize) -> Option<Marks> {
        let chunk = bytes.get(at..at.checked_add(16)?)?;
        Some(Marks::of(chunk.try_into().expect("16 bytes")))
    }

    /// SSE2: a handful of compares and mask extractions for 16 bytes (the masks the
    /// caller does not use are optimised away).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn of(chunk: &[u8; 16]) -> Marks {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of the x86_64 baseline, enabled on every x86_64 target;
        // the unaligned load reads exactly the 16 bytes of `chunk`.
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            let eq = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
            Marks {
                gt: _mm_movemask_epi8(eq(b'>')) as u32,
                quote: _mm_movemask_epi8(eq(b'"')) as u32,
                other: _mm_movemask_epi8(_mm_or_si128(eq(b'\''), eq(b'<'))) as u32,
                // A byte is at most b' ' when min(byte, b' ') is the byte itself.
                stop: _mm_movemask_epi8(_mm_or_si128(
                    _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(b' ' as i8)), v),
                    _mm_or_si128(eq(b'/'), eq(b'>')),
                )) as u32,
                colon: _mm_movemask_epi8(eq(b':')) as u32,
                lt: _mm_movemask_epi8(eq(b'<')) as u32,
                amp_cr: _mm_movemask_epi8(_mm_or_si128(eq(b'&'), eq(b'\r'))) as u32,
            }
        }
    }

    /// Portable: one byte at a time (correct, not fast; the suite runs on x86_64).
    #[cfg(not(target_arch = "x86_64"))]
    #[inline(always)]
    fn of(chunk: &[u8; 16]) -> Marks {
        Marks::of_bytes(chunk)
    }

    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn of_bytes(chunk: &[u8; 16]) -> Marks {
        let mut m = Marks {
            gt: 0,
            quote: 0,
            other: 0,
            stop: 0,
            colon: 0,
            lt: 0,
            amp_cr: 0,
        };
        for (k, &b) in chunk.iter().enumerate() {
            m.gt |= u32::from(b == b'>') << k;
            m.quote |= u32::from(b == b'"') << k;
            m.other |= u32::from(b == b'\'' || b == b'<') << k;
            m.stop |= u32::from(b <= b' ' || b == b'/' || b == b'>') << k;
            m.colon |= u32::from(b == b':') << k;
            m.lt |= u32::from(b == b'<') << k;
            m.amp_cr |= u32::from(b == b'&' || b == b'\r') << k;
        }
        m
    }
}

/// The tokenizer: call [`Reader::next`] until it returns `Ok(None)`.
pub struct Reader<'a> {
    xml: &'a str,
    pos: usize,
    /// Names of the open elements, innermost last.
    open: Vec<&'a str>,
    max_depth: u32,
    part: &'a str,
}

impl<'a> Reader<'a> {
    /// A reader over the part `part` (its name is used in error messages) whose text is
    /// `xml` (a leading BOM is skipped), allowing `max_depth` nested elements.
    pub fn new(xml: &'a str, part: &'a str, max_depth: u32) -> Self {
        Self {
            xml: xml.strip_prefix('\u{feff}').unwrap_or(xml),
            pos: 0,
            open: Vec::with_capacity(64),
            max_depth,
            part,
        }
    }

    /// Number of open elements (the one just started included).
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// Byte offset in the part of `span`, a slice of the text this reader returned.
    pub fn offset_of(&self, span: &str) -> usize {
        span.as_ptr() as usize - self.xml.as_ptr() as usize
    }

    /// Whether the character data `raw` (a [`Token::Text`] of this reader) is known
    /// to hold no `&` and no `\r`, so that [`push_text`] would append it unchanged:
    /// decided for a text of at most 16 bytes by one 16-byte step, `false` (not known)
    /// for a longer one or at the very end of the part.
    #[inline(always)]
    pub fn is_plain_text(&self, raw: &str) -> bool {
        if raw.len() > 16 {
            return false;
        }
        match Marks::at(self.xml.as_bytes(), self.offset_of(raw)) {
            Some(m) => m.amp_cr & ((1 << raw.len()) - 1) == 0,
            None => false,
        }
    }

    /// A `Corrupt` error for malformed XML at byte `at` of the part.
    #[cold]
    pub fn malformed(&self, at: usize, what: &str) -> ExtractionError {
        ExtractionError::corrupt(format!(
            "malformed XML in {} at byte {at}: {what}",
            self.part
        ))
    }

    /// The next token; `Ok(None)` at the end of a well-formed input.
    ///
    /// Errors: `Corrupt` for malformed markup (see the module docs), `LimitExceeded`
    /// past `max_depth` open elements.
    #[inline(always)]
    pub fn next(&mut self) -> Result<Option<Token<'a>>> {
        loop {
            let bytes = self.xml.as_bytes();
            let start = self.pos;
            if start >= bytes.len() {
                return match self.open.last() {
                    None => Ok(None),
                    Some(name) => {
                        Err(self.malformed(start, &format!("the part ends inside <{name}>")))
                    }
                };
            }
            if bytes[start] != b'<' {
                // Most character data between OOXML tags is short: one 16-byte step.
                let end = match Marks::at(bytes, start) {
                    Some(m) if m.lt != 0 => start + m.lt.trailing_zeros() as usize,
                    Some(_) => {
                        memchr(b'<', &bytes[start + 16..]).map_or(bytes.len(), |i| start + 16 + i)
                    }
                    None => memchr(b'<', &bytes[start..]).map_or(bytes.len(), |i| start + i),
                };
                self.pos = end;
                // SAFETY: `start` is 0 or just past the ASCII byte that ended the previous
                // markup, `end` is a `<` or the end of the text.
                return Ok(Some(Token::Text(unsafe { self.text_between(start, end) })));
            }
            match bytes.get(start + 1) {
                Some(b'/') => return self.end_tag(start).map(|()| Some(Token::End)),
                Some(b'?') => self.skip_past(start, "?>", "processing instruction")?,
                Some(b'!') => {
                    let rest = &bytes[start + 2..];
                    if rest.starts_with(b"--") {
                        self.skip_past(start + 4, "-->", "comment")?;
                    } else if rest.starts_with(b"[CDATA[") {
                        let from = start + 9;
                        self.skip_past(from, "]]>", "CDATA section")?;
                        return Ok(Some(Token::CData(&self.xml[from..self.pos - 3])));
                    } else {
                        self.skip_declaration(start)?;
                    }
                }
                _ => return self.start_tag(start).map(Some),
            }
        }
    }

    /// Moves past the next `terminator` (which ends with `>`) at or after `from`.
    fn skip_past(&mut self, from: usize, terminator: &str, what: &str) -> Result<()> {
        match past_terminator(self.xml.as_bytes(), from, terminator.as_bytes()) {
            Some(end) => {
                self.pos = end;
                Ok(())
            }
            None => Err(self.malformed(from, &format!("unterminated {what}"))),
        }
    }

    /// Skips `<!DOCTYPE …>` (or any `<!…>` declaration) with its internal subset:
    /// `>` ends it only outside quotes and outside `[…]`.
    fn skip_declaration(&mut self, start: usize) -> Result<()> {
        let (mut quote, mut brackets) = (0u8, 0u32);
        for (i, &b) in self.xml.as_bytes()[start + 2..].iter().enumerate() {
            match b {
                _ if quote != 0 => quote = if b == quote { 0 } else { quote },
                b'"' | b'\'' => quote = b,
                b'[' => brackets += 1,
                b']' => brackets = brackets.saturating_sub(1),
                b'>' if brackets == 0 => {
                    self.pos = start + 2 + i + 1;
                    return Ok(());
                }
                _ => {}
            }
        }
        Err(self.malformed(start, "unterminated declaration"))
    }

    /// Index of the `>` closing the tag whose attributes start at `from` (quotes respected).
    #[inline(always)]
    fn tag_end(&self, from: usize) -> Option<usize> {
        match Marks::at(self.xml.as_bytes(), from) {
            Some(m) => self.tag_end_marked(from, from, m),
            None => self.tag_end_exact(from),
        }
    }

    /// [`Self::tag_end`] continued from `m`, the marks of the 16 bytes at `at`
    /// (`at <= from < at + 16`): those before `from` are ignored.
    ///
    /// Sixteen bytes a step: the first `>` closes the tag when an even number of `"` and
    /// no `'` or `<` come before it, as in [`quotes_balanced`]; anything else, and the
    /// last 15 bytes of the part, go to [`Self::tag_end_exact`]. One pass with no call:
    /// a typical OOXML tag takes one or two steps.
    #[inline(always)]
    fn tag_end_marked(&self, from: usize, mut at: usize, mut m: Marks) -> Option<usize> {
        let bytes = self.xml.as_bytes();
        let mut wanted = u32::MAX << (from - at);
        // Parity of the `"` seen so far: the parity of a count is the XOR of its bits.
        let mut quotes = 0u32;
        loop {
            let gt = m.gt & wanted;
            // Wanted bits below the first `>` (all of them when there is none).
            let before = gt.wrapping_sub(1) & !gt & wanted;
            if m.other & before != 0 {
                break;
            }
            quotes ^= m.quote & before;
            if gt != 0 {
                if quotes.count_ones().is_multiple_of(2) {
                    return Some(at + gt.trailing_zeros() as usize);
                }
                break;
            }
            at += 16;
            wanted = u32::MAX;
            match Marks::at(bytes, at) {
                Some(next) => m = next,
                None => break,
            }
        }
        self.tag_end_exact(from)
    }

    /// [`Self::tag_end`] for any input: the first `>` when [`quotes_balanced`] says so,
    /// else a scan that steps over quoted values and fails at a `<` outside them.
    #[inline(never)]
    fn tag_end_exact(&self, from: usize) -> Option<usize> {
        let bytes = self.xml.as_bytes();
        let gt = from + memchr(b'>', &bytes[from..])?;
        if quotes_balanced(&bytes[from..gt]) {
            return Some(gt);
        }
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b'>' => return Some(i),
                q @ (b'"' | b'\'') => i += memchr(q, &bytes[i + 1..])? + 1,
                b'<' => return None,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// Index of the first `>` at or after `from`.
    #[inline(always)]
    fn next_gt(&self, from: usize) -> Option<usize> {
        let bytes = self.xml.as_bytes();
        match Marks::at(bytes, from) {
            Some(m) if m.gt != 0 => Some(from + m.gt.trailing_zeros() as usize),
            Some(_) => memchr(b'>', &bytes[from + 16..]).map(|i| from + 16 + i),
            None => memchr(b'>', &bytes[from..]).map(|i| from + i),
        }
    }

    /// The start or empty-element tag whose `<` is at `start`.
    ///
    /// Usually decided from the [`Marks`] of the 16 bytes after the `<`: where the name
    /// ends, where its prefix's `:` is, and often the closing `>`. A name of 16 bytes or
    /// more, or a tag at the very end of the part, takes [`name_len`] and
    /// [`Self::tag_end`].
    #[inline(always)]
    fn start_tag(&mut self, start: usize) -> Result<Token<'a>> {
        let bytes = self.xml.as_bytes();
        let name_start = start + 1;
        let (name_end, local_start, close) = match Marks::at(bytes, name_start) {
            Some(m) if m.stop != 0 => {
                let len = m.stop.trailing_zeros() as usize;
                let colon = m.colon & ((1 << len) - 1);
                let local_start = match colon {
                    0 => name_start,
                    _ => name_start + colon.trailing_zeros() as usize + 1,
                };
                let name_end = name_start + len;
                (
                    name_end,
                    local_start,
                    self.tag_end_marked(name_end, name_start, m),
                )
            }
            _ => {
                let name_end = name_start + name_len(&bytes[name_start..]);
                let local_start = match memchr(b':', &bytes[name_start..name_end]) {
                    Some(i) => name_start + i + 1,
                    None => name_start,
                };
                (name_end, local_start, self.tag_end(name_end))
            }
        };
        if name_end == name_start {
            return Err(self.malformed(start, "a tag without a name"));
        }
        let close = close.ok_or_else(|| self.malformed(start, "unterminated tag"))?;
        self.pos = close + 1;
        let empty = bytes[close - 1] == b'/' && close > name_end;
        // SAFETY: every index is one of an ASCII byte or the end of the text:
        // `name_start` follows `<`, `local_start` is `name_start` or follows a `:`,
        // `name_end` is a white space byte, `/` or `>` (or the end), `close` is the `>`,
        // and `close - 1` the `/` when `empty`.
        let (name, local, attributes) = unsafe {
            (
                self.text_between(name_start, name_end),
                self.text_between(local_start, name_end),
                self.text_between(name_end, close - usize::from(empty)),
            )
        };
        let tag = Tag {
            name,
            local,
            attributes,
        };
        if empty {
            if self.open.len() as u32 >= self.max_depth {
                return Err(self.too_deep());
            }
            return Ok(Token::Empty(tag));
        }
        if self.open.len() as u32 >= self.max_depth {
            return Err(self.too_deep());
        }
        self.open.push(name);
        Ok(Token::Start(tag))
    }

    /// `&self.xml[from..to]` without the two char-boundary checks of `str` slicing,
    /// which cost about 3% of a large part's extraction (callgrind, handbook-872p).
    ///
    /// # Safety
    /// `from` and `to` must each be the index of an ASCII byte of the text or its
    /// length: both are then char boundaries (a UTF-8 continuation or lead byte is
    /// never below 0x80). Out-of-range indices still panic.
    #[inline(always)]
    unsafe fn text_between(&self, from: usize, to: usize) -> &'a str {
        let bytes = &self.xml.as_bytes()[from..to];
        debug_assert!(self.xml.is_char_boundary(from) && self.xml.is_char_boundary(to));
        // SAFETY: `self.xml` is a `str`, valid UTF-8, and the caller guarantees that
        // `from` and `to` are char boundaries: the bytes between are valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// `a == b` for two slices of this reader's text (see [`Self::name_at`]).
    #[inline(always)]
    fn same_name(&self, a: &str, b: &str) -> bool {
        a.len() == b.len() && self.name_at(a, self.offset_of(b))
    }

    #[cold]
    fn too_deep(&self) -> ExtractionError {
        ExtractionError::limit(format!(
            "XML in {} nests deeper than the limit of {} elements",
            self.part, self.max_depth
        ))
    }

    /// The end tag whose `<` is at `start`.
    ///
    /// Fast path, nearly every end tag: the open name followed by `>`, checked with
    /// one 16-byte compare, without looking for the `>` first. It decides exactly as
    /// the general path below: a name holds no `>`, so that `>` is the first one.
    #[inline(always)]
    fn end_tag(&mut self, start: usize) -> Result<()> {
        if let Some(&open) = self.open.last() {
            let from = start + 2;
            let close = from + open.len();
            if self.xml.as_bytes().get(close) == Some(&b'>') && self.name_at(open, from) {
                self.open.pop();
                self.pos = close + 1;
                return Ok(());
            }
        }
        self.end_tag_general(start)
    }

    /// Whether the text at `at` starts with `name`, a slice of this reader's text, without
    /// a call to `memcmp`: names of at most 16 bytes (nearly all) are compared as two
    /// 16-byte integers when both have 16 bytes of text behind them.
    #[inline(always)]
    fn name_at(&self, name: &str, at: usize) -> bool {
        let bytes = self.xml.as_bytes();
        let len = name.len();
        let word = |from: usize| {
            bytes
                .get(from..from + 16)
                .map(|w| u128::from_le_bytes(w.try_into().expect("16 bytes")))
        };
        match (word(self.offset_of(name)), word(at)) {
            (Some(x), Some(y)) if (1..=16).contains(&len) => {
                (x ^ y) & (u128::MAX >> (128 - 8 * len)) == 0
            }
            _ => bytes.get(at..at + len) == Some(name.as_bytes()),
        }
    }

    /// [`Self::end_tag`] for any end tag: up to the first `>`, white space allowed
    /// after the name, which must be the open one.
    #[inline(never)]
    fn end_tag_general(&mut self, start: usize) -> Result<()> {
        let close = self
            .next_gt(start + 2)
            .ok_or_else(|| self.malformed(start, "unterminated end tag"))?;
        self.pos = close + 1;
        // SAFETY: `start + 2` follows `</`, `close` is the `>`.
        let mut name = unsafe { self.text_between(start + 2, close) };
        if name
            .as_bytes()
            .last()
            .is_some_and(|&b| is_xml_space(char::from(b)))
        {
            name = name.trim_end_matches(is_xml_space);
        }
        match self.open.pop() {
            Some(open) if self.same_name(open, name) => Ok(()),
            Some(open) => Err(self.malformed(start, &format!("</{name}> closes <{open}>"))),
            None => Err(self.malformed(start, &format!("</{name}> closes nothing"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Result<Vec<Token<'_>>> {
        let mut r = Reader::new(xml, "part.xml", 256);
        let mut out = Vec::new();
        while let Some(t) = r.next()? {
            out.push(t);
        }
        Ok(out)
    }

    fn text(raw: &str) -> String {
        let mut s = String::new();
        push_text(&mut s, raw).unwrap();
        s
    }

    #[test]
    fn tokens_come_in_document_order_and_skip_prolog_comments_and_instructions() {
        let xml = "\u{feff}<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e \"a>b\">]><!-- c<> --><a x='1>2'><b/>t<![CDATA[<c>]]><?pi x?></a>";
        let t = tokens(xml).unwrap();
        assert_eq!(t.len(), 5);
        assert!(
            matches!(t[0], Token::Start(tag) if tag.name == "a" && tag.attribute("x").as_deref() == Some("1>2"))
        );
        assert!(matches!(t[1], Token::Empty(tag) if tag.name == "b"));
        assert_eq!(t[2], Token::Text("t"));
        assert_eq!(t[3], Token::CData("<c>"));
        assert_eq!(t[4], Token::End);
    }

    #[test]
    fn skipped_markup_ends_at_its_first_complete_terminator() {
        let xml = "<a><?pi x>y??><!-- c -> d ->--><![CDATA[p]>q]]]>]]>t<!-- x ->--></a>";
        let t = tokens(xml).unwrap();
        assert_eq!(t[1], Token::CData("p]>q]"));
        assert_eq!(t[2], Token::Text("]]>t"));
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn attributes_are_found_by_local_name_and_decoded() {
        let t = tokens(r#"<w:x w:val = "a&amp;b&#x41;" r:id='rId1' w:t="x&#9;y	z"/>"#).unwrap();
        let Token::Empty(tag) = t[0] else { panic!() };
        assert_eq!(tag.local(), "x");
        assert_eq!(tag.attribute("val").as_deref(), Some("a&bA"));
        assert_eq!(tag.attribute("id").as_deref(), Some("rId1"));
        assert_eq!(tag.attribute("t").as_deref(), Some("x\ty z"));
        assert_eq!(tag.attribute("missing"), None);
    }

    fn first_tag(xml: &str) -> Tag<'_> {
        match tokens(xml).unwrap()[0] {
            Token::Start(tag) | Token::Empty(tag) => tag,
            t => panic!("{t:?}"),
        }
    }

    #[test]
    fn a_value_absent_from_the_raw_attributes_is_ruled_out() {
        let tag = first_tag(r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Arial"/>"#);
        assert!(!tag.may_have_value("Symbol"));
        assert!(first_tag("<w:rFonts/>").attribute("ascii").is_none());
        assert!(!first_tag("<w:rFonts/>").may_have_value("Symbol"));
    }

    #[test]
    fn a_value_present_literally_or_behind_a_reference_may_be_there() {
        let tag = first_tag(r#"<w:rFonts w:ascii="Symbol"/>"#);
        assert!(tag.may_have_value("Symbol"));
        // Elsewhere than in the value asked for: only a hint, `attribute` decides.
        let tag = first_tag(r#"<w:rFonts w:ascii="Arial" w:hAnsi="Symbol"/>"#);
        assert!(tag.may_have_value("Symbol"));
        // A reference can decode to the value: never ruled out.
        let tag = first_tag(r#"<w:rFonts w:ascii="&#83;ymbol"/>"#);
        assert!(tag.may_have_value("Symbol"));
        assert_eq!(tag.attribute("ascii").as_deref(), Some("Symbol"));
    }

    #[test]
    fn text_decodes_references_and_normalises_line_ends() {
        assert_eq!(
            text("a&lt;&gt;&amp;&quot;&apos;&#233;&#x1F600;b"),
            "a<>&\"'é😀b"
        );
        assert_eq!(text("x\r\ny\rz"), "x\ny\nz");
        assert_eq!(text("a&ext;b&#0;&#xFFFFFFFF;c"), "abc");
        assert_eq!(push_text(&mut String::new(), "a&amp b"), Err(1));
    }

    #[test]
    fn text_ends_at_the_next_tag_at_every_length_and_is_plain_only_if_known() {
        // Texts shorter and longer than one 16-byte step, near the end of the part.
        for len in 1..=40 {
            for (fill, special) in [('x', false), ('&', true), ('\r', true)] {
                let body = format!("{}{fill}", "y".repeat(len - 1));
                for tail in ["", "<b/>", "<b/>0123456789abcdef"] {
                    let xml = format!("<a>{body}</a>{tail}");
                    let mut r = Reader::new(&xml, "part.xml", 8);
                    r.next().unwrap();
                    let Some(Token::Text(raw)) = r.next().unwrap() else {
                        panic!("{xml:?}")
                    };
                    assert_eq!(raw, body, "{xml:?}");
                    let known = len <= 16 && xml.len() - r.offset_of(raw) >= 16;
                    assert_eq!(r.is_plain_text(raw), known && !special, "{xml:?}");
                }
            }
        }
    }

    #[test]
    fn malformed_markup_is_corrupt() {
        for xml in [
            "<a><b></a></b>",
            "<a>",
            "</a>",
            "<a><!-- x</a>",
            "<a x=\"1></a>",
            "<a><![CDATA[x</a>",
            "< a/>",
            // Markup skipped up to a terminator that never comes (or leaves `<a>` open).
            "<a><?pi x>",
            "<a><!-- x ->",
            "<a><![CDATA[x]]",
            "<a><!---->",
        ] {
            let err = tokens(xml).unwrap_err();
            assert_eq!(err.kind, crate::ErrorKind::Corrupt, "{xml}");
        }
    }

    #[test]
    fn names_end_at_white_space_slash_or_greater_than() {
        for (input, len) in [
            ("p>", 1),
            ("w:p/>", 3),
            ("w:rFonts w:ascii", 8),
            ("w:rFonts", 8),
            ("w:noBreakHyphen/>", 15),
            ("a\tb", 1),
            ("élan\r\n", 5),
            ("abcdefghijklmnopq>", 17),
            ("", 0),
        ] {
            assert_eq!(name_len(input.as_bytes()), len, "{input:?}");
        }
    }

    #[test]
    fn a_greater_than_is_inside_a_value_only_after_an_odd_number_of_quotes() {
        assert!(quotes_balanced(br#" a="1" b="2""#));
        assert!(!quotes_balanced(br#" a="1"#));
        assert!(!quotes_balanced(b" a='1'"));
        assert!(!quotes_balanced(br#" a="1"<"#));
    }

    #[test]
    fn marks_flag_exactly_the_markup_bytes_of_a_chunk() {
        let chunk = *b"a>\"b'<c\"\"\x80>:'<\t/";
        let m = Marks::of(&chunk);
        assert_eq!(m, Marks::of_bytes(&chunk));
        assert_eq!(m.gt, 1 << 1 | 1 << 10);
        assert_eq!(m.quote, 1 << 2 | 1 << 7 | 1 << 8);
        assert_eq!(m.other, 1 << 4 | 1 << 5 | 1 << 12 | 1 << 13);
        assert_eq!(m.stop, 1 << 1 | 1 << 10 | 1 << 14 | 1 << 15);
        assert_eq!(m.colon, 1 << 11);
        assert_eq!(m.lt, 1 << 5 | 1 << 13);
        let chunk = *b"a&b\rc\n<&\r\r&<<<<<";
        let m = Marks::of(&chunk);
        assert_eq!(m, Marks::of_bytes(&chunk));
        assert_eq!(
            m.amp_cr,
            1 << 1 | 1 << 3 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10
        );
        let all: [u8; 16] = std::array::from_fn(|k| k as u8 * 17);
        assert_eq!(Marks::of(&all), Marks::of_bytes(&all));
    }

    #[test]
    fn tag_ends_agree_across_chunk_boundaries_and_the_part_end() {
        // Every split of quotes and `>` around the 16-byte steps and the last 15 bytes.
        for pad in 0..40 {
            let values = ["1", "a>b", "x'y", "q\"", "<"];
            for value in values {
                let quote = if value.contains('"') { '\'' } else { '"' };
                let xml = format!(
                    "<a{} v={quote}{value}{quote}>t</a{}>",
                    " ".repeat(pad),
                    " ".repeat(pad % 3)
                );
                let t = tokens(&xml);
                if value == "<" {
                    // `<` inside a quoted value is accepted by the exact scan.
                    assert!(t.is_ok(), "{xml}");
                }
                let t = t.unwrap();
                assert!(
                    matches!(t[0], Token::Start(tag) if tag.attribute("v").as_deref() == Some(value)),
                    "{xml}"
                );
                assert_eq!(t[1], Token::Text("t"), "{xml}");
            }
            let unterminated = format!("<a{} v=\"1>", " ".repeat(pad));
            assert_eq!(
                tokens(&unterminated).unwrap_err().kind,
                crate::ErrorKind::Corrupt
            );
        }
    }

    #[test]
    fn names_prefixes_and_attributes_split_alike_at_every_length_and_position() {
        // Names shorter and longer than one 16-byte step, tags near the end of the part.
        for len in 1..=24 {
            let local: String = ('a'..='z').take(len).collect();
            for prefix in ["", "w:", "w14:", "verylongprefix:"] {
                let name = format!("{prefix}{local}");
                for (rest, attributes) in [("/>", ""), (">", ""), (" x:v='1'/>", " x:v='1'")] {
                    let xml = format!("<{name}{rest}");
                    let xml = if rest.ends_with("/>") {
                        xml
                    } else {
                        format!("{xml}</{name}>")
                    };
                    let t = tokens(&xml).unwrap();
                    let (Token::Start(tag) | Token::Empty(tag)) = t[0] else {
                        panic!("{xml}")
                    };
                    assert_eq!((tag.name, tag.local()), (name.as_str(), local.as_str()));
                    assert_eq!(tag.attributes, attributes, "{xml}");
                }
            }
        }
        let t = tokens("<a:b:c/>").unwrap();
        assert!(matches!(t[0], Token::Empty(tag) if tag.local() == "b:c"));
    }

    #[test]
    fn an_end_tag_must_repeat_the_open_name_exactly_at_every_length() {
        for len in 1..=24 {
            let name: String = ('a'..='z').take(len).collect();
            let mut other = name.clone().into_bytes();
            *other.last_mut().unwrap() = b'Z';
            let other = String::from_utf8(other).unwrap();
            assert!(tokens(&format!("<{name}></{name}>")).is_ok());
            assert!(tokens(&format!("<{name}></{name} >")).is_ok());
            for wrong in [other, format!("{name}a"), name[1..].to_owned()] {
                let err = tokens(&format!("<{name}></{wrong}>")).unwrap_err();
                assert_eq!(err.kind, crate::ErrorKind::Corrupt, "{name} {wrong}");
            }
        }
    }

    #[test]
    fn nesting_past_the_limit_is_limit_exceeded() {
        let xml = "<a>".repeat(257) + &"</a>".repeat(257);
        assert_eq!(
            tokens(&xml).unwrap_err().kind,
            crate::ErrorKind::LimitExceeded
        );
        let xml = "<a>".repeat(256) + &"</a>".repeat(256);
        assert!(tokens(&xml).is_ok());
    }
}
