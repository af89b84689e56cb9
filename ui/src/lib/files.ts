// Reading what a person gives us: files from a picker, drops and pastes.

/** The bytes of a file as base64 without the `data:` prefix (what scan_image takes). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export async function fileToText(file: Blob): Promise<string> {
  return file.text();
}

/** Open a complete HTML document in a print dialog (a hidden frame), e.g. a recovery sheet. */
export function printHtml(html: string) {
  const frame = document.createElement("iframe");
  frame.style.cssText =
    "position:fixed;width:0;height:0;border:0;right:0;bottom:0";
  frame.srcdoc = html;
  frame.onload = () => {
    frame.contentWindow?.focus();
    frame.contentWindow?.print();
    setTimeout(() => frame.remove(), 60_000);
  };
  document.body.append(frame);
}

/** Offer text as a file download. */
export function download(name: string, text: string, type = "text/html") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement("a"), {
    href: url,
    download: name,
  });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
