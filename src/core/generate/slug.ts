// File names and ids from names people wrote: kept apart so that the editor's activation bundle can use it alone.

/** A file-name-safe, readable slug: "Import a Pokémon" → "import-a-pokemon". */
export function slug(text: string, fallback = 'generated'): string {
  return (
    text
      // Accents go, the letter stays.
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || fallback
  );
}
