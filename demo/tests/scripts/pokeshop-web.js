// The Playwright script of web-import-pokemon.yaml: what a person does on the Pokéshop page. Tracelens opens the
// page on the test's target and calls the function the test names with Playwright's `page`.

/** Imports snorlax (#143) through the page's form and waits until the page says the API accepted it. */
async function importPokemon(page) {
  await page.getByLabel('Pokédex number').fill('143');
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('#143 is on its way').waitFor();
}

module.exports = { importPokemon };
