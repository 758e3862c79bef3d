/**
 * Every record of a CSV text (RFC 4180: `"` quoting with `""` escapes, CRLF or LF line ends,
 * a BOM dropped). Unquoted fields are trimmed; an empty unquoted field is null. Blank lines are skipped.
 */
export function csvRecords(text: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    const value = wasQuoted ? field : field.trim();
    record.push(!wasQuoted && value === '' ? null : value);
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === null)) records.push(record);
    record = [];
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (c === ',') endField();
    else if (c === '\n') endRecord();
    else if (c === '\r') {
      if (text[i + 1] !== '\n') endRecord();
    } else field += c;
  }
  if (field !== '' || wasQuoted || record.length > 0) endRecord();
  return records;
}
