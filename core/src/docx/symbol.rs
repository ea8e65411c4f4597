//! The Symbol font's encoding mapped to Unicode, for `w:sym w:font="Symbol"` and for
//! text in runs set in the Symbol font (Word stores those characters at U+F020–U+F0FF).
//!
//! Source: Adobe's "Symbol encoding to Unicode" table (symbol.txt, Unicode Consortium
//! vendor mappings); glyph pieces with no Unicode character (bracket and arrow
//! extenders) map to their closest Unicode character.

/// Unicode for Symbol-font code `0x20..=0xFE` (index = code − 0x20); `'\0'` = undefined.
const TABLE: [char; 0xDF] = [
    // 0x20
    ' ', '!', '∀', '#', '∃', '%', '&', '∋', '(', ')', '∗', '+', ',', '−', '.', '/',
    // 0x30
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
    // 0x40
    '≅', 'Α', 'Β', 'Χ', 'Δ', 'Ε', 'Φ', 'Γ', 'Η', 'Ι', 'ϑ', 'Κ', 'Λ', 'Μ', 'Ν', 'Ο',
    // 0x50
    'Π', 'Θ', 'Ρ', 'Σ', 'Τ', 'Υ', 'ς', 'Ω', 'Ξ', 'Ψ', 'Ζ', '[', '∴', ']', '⊥', '_',
    // 0x60
    '‾', 'α', 'β', 'χ', 'δ', 'ε', 'φ', 'γ', 'η', 'ι', 'ϕ', 'κ', 'λ', 'μ', 'ν', 'ο',
    // 0x70
    'π', 'θ', 'ρ', 'σ', 'τ', 'υ', 'ϖ', 'ω', 'ξ', 'ψ', 'ζ', '{', '|', '}', '∼', '\0',
    // 0x80 (undefined)
    '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0',
    // 0x90 (undefined)
    '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0', '\0',
    // 0xA0
    '€', 'ϒ', '′', '≤', '⁄', '∞', 'ƒ', '♣', '♦', '♥', '♠', '↔', '←', '↑', '→', '↓',
    // 0xB0
    '°', '±', '″', '≥', '×', '∝', '∂', '•', '÷', '≠', '≡', '≈', '…', '⏐', '⎯', '↵',
    // 0xC0
    'ℵ', 'ℑ', 'ℜ', '℘', '⊗', '⊕', '∅', '∩', '∪', '⊃', '⊇', '⊄', '⊂', '⊆', '∈', '∉',
    // 0xD0
    '∠', '∇', '®', '©', '™', '∏', '√', '⋅', '¬', '∧', '∨', '⇔', '⇐', '⇑', '⇒', '⇓',
    // 0xE0
    '◊', '〈', '®', '©', '™', '∑', '⎛', '⎜', '⎝', '⎡', '⎢', '⎣', '⎧', '⎨', '⎩', '⎪',
    // 0xF0
    '\0', '〉', '∫', '⌠', '⎮', '⌡', '⎞', '⎟', '⎠', '⎤', '⎥', '⎦', '⎫', '⎬', '⎭',
];

/// The Unicode character for a Symbol-font code given as `0x20..=0xFE` or in Word's
/// private-use form `U+F020..=U+F0FE`; `None` outside those ranges or where undefined.
pub fn to_unicode(code: u32) -> Option<char> {
    let byte = match code {
        0x20..=0xFE => code,
        0xF020..=0xF0FE => code - 0xF000,
        _ => return None,
    };
    Some(TABLE[(byte - 0x20) as usize]).filter(|&c| c != '\0')
}

#[cfg(test)]
mod tests {
    use super::to_unicode;

    #[test]
    fn maps_symbol_codes_and_their_private_use_form() {
        assert_eq!(to_unicode(0xDA), Some('∨'));
        assert_eq!(to_unicode(0xF0DA), Some('∨'));
        assert_eq!(to_unicode(0xF028), Some('('));
        assert_eq!(to_unicode(0x61), Some('α'));
        assert_eq!(to_unicode(0xB9), Some('≠'));
        assert_eq!(to_unicode(0xF0FE), Some('⎭'));
        assert_eq!(to_unicode(0x90), None);
        assert_eq!(to_unicode(0x263A), None);
    }
}
