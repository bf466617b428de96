// One file of multi-document YAML: each document's value with the line it starts on, in time linear in
// the file. Plain manifests take a fast reader (js-yaml, document by document); anything it cannot
// read, and every file holding `{{`, anchors or directives, takes the `yaml` package's composer, which
// knows where each node came from and so reports bad input precisely. Both read YAML 1.2's core schema.
import { CORE_SCHEMA, loadAll } from "js-yaml";
import { Composer, isCollection, LineCounter, Parser, visit, type Document } from "yaml";
import { InputError } from "./input-error.ts";

export interface YamlDocument {
    /** 1-based, counting empty documents too, as an editor's "document N" would. */
    number: number;
    /** The line the document's content starts on (an empty document's: its marker's). */
    line: number | undefined;
    /** The document as plain data: null for an empty one. */
    value: unknown;
}

/** How Helm (Go templates) marks an expression that `helm template` replaces. */
const TEMPLATE_OPEN = "{{";
const LONGEST_EXCERPT = 80;
/** Fields a rendered manifest never holds braces in (names are DNS labels, kinds are identifiers). */
const IDENTITY_FIELDS: readonly (readonly string[])[] = [["apiVersion"], ["kind"], ["metadata", "name"], ["metadata", "namespace"]];

/** The documents of `text`, in order; throws InputError on invalid YAML or on an unrendered Helm template. */
export function yamlDocuments(text: string, file: string): Iterable<YamlDocument> {
    return quickDocuments(text) ?? composedDocuments(text, file);
}

/** `---` at the start of a line begins a document (YAML forbids it inside one, even in a block scalar). */
const DOCUMENT_START = /^---(?=[ \t\r]|$)/;
/** What only the composer handles: template braces, anchors (whose aliases it bounds), directives. */
const NEEDS_COMPOSER = /\{\{|(?:^|[\s[{,:-])&\S|^%/m;

/**
 * The fast reader: splits the file at document starts and loads each piece, the line of its content
 * counted as it goes. Undefined when the file needs the composer, or when a piece does not load as
 * exactly one document (the composer then says what is wrong, and where).
 */
export function quickDocuments(text: string): YamlDocument[] | undefined {
    if (NEEDS_COMPOSER.test(text)) {
        return undefined;
    }
    const docs: YamlDocument[] = [];
    let piece: string[] = [];
    let pieceLine = 1;
    let marked = false;
    const flush = (): boolean => {
        const values: unknown[] = [];
        try {
            loadAll(piece.join("\n"), (value) => values.push(value), { schema: CORE_SCHEMA });
        } catch {
            return false;
        }
        // The content starts on the first line that is neither the marker alone, blank, nor a comment.
        const offset = piece.findIndex((line, i) => !(i === 0 && marked && /^---\s*(#.*)?$/.test(line)) && !/^\s*(#.*)?$/.test(line));
        if (values.length > 1) {
            return false;
        }
        if (offset >= 0) {
            docs.push({ number: docs.length + 1, line: pieceLine + offset, value: values[0] ?? null });
        } else if (marked) {
            // An empty document: the composer places its null on the marker's line.
            docs.push({ number: docs.length + 1, line: pieceLine, value: null });
        }
        return true;
    };
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i] as string;
        if (DOCUMENT_START.test(line)) {
            if ((marked || piece.length > 0) && !flush()) {
                return undefined;
            }
            piece = [];
            pieceLine = i + 1;
            marked = true;
        }
        piece.push(line);
    }
    return flush() ? docs : undefined;
}

/** The precise reader: yaml's composer over the whole file, with a line index. */
export function* composedDocuments(text: string, file: string): Generator<YamlDocument> {
    const lines = new LineCounter();
    // logLevel "error": YAML warnings (a mapping used as a key, say) would go to stderr as Node warnings;
    // what matters of them is reported below as one line.
    const composer = new Composer({ logLevel: "error" });
    let number = 0;
    for (const doc of composer.compose(new Parser(lines.addNewLine).parse(text), false)) {
        number++;
        const [start, , end] = doc.range;
        const templated = text.slice(start, end).includes(TEMPLATE_OPEN);
        const where = (offset: number) => `${file} (document ${number}, line ${lines.linePos(offset).line})`;
        if (templated) {
            rejectTemplate(doc, text, start, where);
        }
        const [error] = doc.errors;
        if (error !== undefined) {
            throw new InputError(`${file}: invalid YAML at line ${lines.linePos(error.pos[0]).line}: ${firstSentence(error.message)}`);
        }
        const value: unknown = doc.toJS({ maxAliasCount: 1000 });
        if (templated) {
            rejectTemplatedIdentity(value, where(start));
        }
        const contentStart = doc.contents?.range[0];
        yield { number, line: contentStart === undefined ? undefined : lines.linePos(contentStart).line, value };
    }
}

/** `{{ x }}` written where YAML expects a value parses as a mapping used as a key, or does not parse. */
function rejectTemplate(doc: Document.Parsed, text: string, start: number, where: (offset: number) => string): void {
    let offset: number | undefined;
    if (doc.errors.length === 0) {
        visit(doc, {
            Pair(_, pair) {
                if (isCollection(pair.key) && pair.key.range !== undefined && pair.key.range !== null) {
                    offset = pair.key.range[0];
                    return visit.BREAK;
                }
                return undefined;
            },
        });
    } else {
        offset = text.indexOf(TEMPLATE_OPEN, start);
    }
    if (offset !== undefined) {
        throw templateError(where(offset), text, offset);
    }
}

function rejectTemplatedIdentity(value: unknown, where: string): void {
    for (const path of IDENTITY_FIELDS) {
        let field: unknown = value;
        for (const key of path) {
            field = typeof field === "object" && field !== null ? (field as Record<string, unknown>)[key] : undefined;
        }
        if (typeof field === "string" && field.includes(TEMPLATE_OPEN)) {
            throw new InputError(`${where} is an unrendered Helm template (${path.join(".")}: ${JSON.stringify(field)}); ` +
                "render the chart first (helm template <release> <chart>) and analyze its output.");
        }
    }
}

/** Names the line that holds the template expression, as the user wrote it. */
function templateError(where: string, text: string, offset: number): InputError {
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const lineEnd = text.indexOf("\n", offset);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).trim();
    const shown = line.length > LONGEST_EXCERPT ? `${line.slice(0, LONGEST_EXCERPT)}...` : line;
    return new InputError(`${where} is an unrendered Helm template (${shown}); render the chart first ` +
        "(helm template <release> <chart>) and analyze its output.");
}

/** The parser's message without the position and source excerpt it appends (the line is given separately). */
function firstSentence(message: string): string {
    return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}
