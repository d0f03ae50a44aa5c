/** `archlint map`'s formats, apart from the command so parsing the command line loads nothing else. */
export const MAP_FORMATS = ["json", "mermaid", "html", "markdown"] as const;
