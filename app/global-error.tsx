"use client";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui", padding: "4rem", textAlign: "center" }}>
        <h1>Something went wrong</h1>
        <p>The portal hit an unexpected error. Nothing you entered was half-saved.</p>
        <button onClick={() => reset()}>Try again</button>
      </body>
    </html>
  );
}
