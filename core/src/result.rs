//! The result every bridge hands to Python as `bridgemark.ExtractionResult`.

/// One table: rows of cell texts (rows may differ in length).
pub type Table = Vec<Vec<String>>;

/// Document metadata; every field is optional. Dates are ISO-8601 strings as stored.
///
/// On the Python side this is a `dict` holding only the keys that are set:
/// `title: str`, `authors: list[str]` (when non-empty), `created: str`,
/// `modified: str`, `page_count: int`, `word_count: int`, `comments: list[str]`
/// (when non-empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    /// Pages: counted by the reader for paged formats, as stored (`docProps/app.xml`) for DOCX.
    pub page_count: Option<u32>,
    /// Words as stored by the producing application (`docProps/app.xml`).
    pub word_count: Option<u32>,
    /// Text of each comment (DOCX `word/comments.xml`), in part order; kept out of `content`.
    pub comments: Vec<String>,
}

/// Text, type, metadata and tables of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtractionResult {
    /// The text a reader sees, blocks separated by `\n`, table cells by `\t`.
    pub content: String,
    /// Detected MIME type, e.g. `application/vnd.openxmlformats-officedocument.wordprocessingml.document`.
    pub mime_type: String,
    pub metadata: Metadata,
    /// Every table in document order (by where it starts), nested ones included.
    pub tables: Vec<Table>,
}
