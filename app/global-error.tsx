"use client";
import { DATABASE_UNREACHABLE_DIGEST, DATABASE_UNREACHABLE_SENTENCE } from "@/lib/database-unreachable";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui", padding: "4rem", textAlign: "center" }}>
        <h1>Something went wrong</h1>
        <p>
          {error.digest === DATABASE_UNREACHABLE_DIGEST
            ? DATABASE_UNREACHABLE_SENTENCE
            : "The portal hit an unexpected error. Nothing you entered was half-saved."}
        </p>
        <button onClick={() => reset()}>Try again</button>
      </body>
    </html>
  );
}
