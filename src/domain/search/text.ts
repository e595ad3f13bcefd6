/** Words that carry no meaning when matching what someone asked for against package names. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the to for of on in at by with and or my me i im d m s ll ve we our us you your it its this that " +
    "need needs want wants would like get got give gives can could may might please pls plz kindly " +
    "access request requesting apply ask add grant granted have has some any is are be to do does " +
    "package packages permission permissions role roles hi hello hey thanks thank just also"
  ).split(" "),
);

/** Lower-case words of a text, letters and digits only ("Salesforce (CRM)" -> salesforce, crm). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** The meaningful words of a text: its words without stop words. */
export function meaningfulWords(text: string): string[] {
  return words(text).filter((word) => !STOP_WORDS.has(word));
}
