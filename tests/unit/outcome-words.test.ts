// The words of sync errors: one fault wording everywhere, and the outage banner's "Check now" answer
// as a sentence (walkthrough 4, point 4).
import { describe, expect, it } from "vitest";
import { faultMessage, faultWords, stillDownWords } from "../../lib/redirection/outcome-words";

describe("faultMessage", () => {
  it("words a fault as the history does", () => {
    expect(faultMessage("-32500", "Simulated server fault")).toBe("Fault -32500: Simulated server fault");
    const excerpt =
      "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>-32500</int></value></member>" +
      "<member><name>faultString</name><value><string>Simulated server fault</string></value></member></struct></value></fault></methodResponse>";
    expect(faultWords(excerpt)).toBe(faultMessage("-32500", "Simulated server fault"));
  });
});

describe("stillDownWords", () => {
  it("puts the cause in the sentence, not in brackets", () => {
    expect(stillDownWords("Connection refused: nothing answers on that port")).toBe(
      "Checked just now: the service still does not answer: connection refused: nothing answers on that port.",
    );
  });

  it("keeps an acronym's capitals and does not double the full stop", () => {
    expect(stillDownWords("HTTP 503 from the service.")).toBe(
      "Checked just now: the service still does not answer: HTTP 503 from the service.",
    );
  });

  it("says only that it does not answer when no error is known", () => {
    expect(stillDownWords(null)).toBe("Checked just now: the service still does not answer.");
  });
});
