/**
 * Generated hostile inputs for names and free text: Unicode confusables, control characters,
 * NUL, bidirectional marks, path traversal, very long strings, HTML and script. Deterministic
 * (seeded), so a failure can be reproduced.
 */
export function hostileInputs(count = 240, seed = 20261126): string[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const fixed = [
    "",
    " ",
    "\u0000",
    "a\u0000.example.com",
    "../../etc/passwd",
    "..\\..\\windows\\system32",
    "/etc/letsencrypt/live",
    "example.com/../../x",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(1)",
    "exa\u202Emple.com",
    "\u200Bexample.com",
    "example\u200D.com",
    "\u0435xample.com",
    "раураl.com",
    "ｅｘａｍｐｌｅ.com",
    "example.com\r\nSet-Cookie: x=y",
    "example.com\t",
    "%2e%2e%2f.example.com",
    "*.*.example.com",
    "*",
    "*.",
    "1.2.3.4.5",
    "::ffff:1.2.3.4:80",
    "[::1]:443",
    "a".repeat(10_000),
    `${"a".repeat(63)}.`.repeat(5) + "com",
    "x.".repeat(200) + "com",
    "😀.example.com",
    "example.com;rm -rf /",
    "$(reboot).example.com",
    "`id`.example.com",
    "example.com' OR '1'='1",
    "\u0007bell.example.com",
    "\uFEFFexample.com",
    "e\u0301xample.com",
  ];
  const alphabet = [
    "a",
    "Z",
    "9",
    "-",
    ".",
    "_",
    "*",
    "/",
    "\\",
    "<",
    ">",
    '"',
    "'",
    "\u0000",
    "\u0008",
    "\u001b",
    "\u202e",
    "\u200b",
    "é",
    "ß",
    "ı",
    "İ",
    "\uFF0E",
    "。",
    " ",
    "%",
    "&",
    ";",
    "@",
    ":",
    "[",
    "]",
  ];
  const generated: string[] = [];
  while (fixed.length + generated.length < count) {
    const length = 1 + Math.floor(random() * (random() < 0.1 ? 400 : 30));
    let text = "";
    for (let index = 0; index < length; index++) text += pick(alphabet);
    generated.push(random() < 0.3 ? `${text}.example.com` : text);
  }
  return [...fixed, ...generated];
}
