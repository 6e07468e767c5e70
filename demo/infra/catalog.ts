// The Pokémon the fake PokeAPI knows: national dex number, name, types. The demo never reaches the internet.
export interface CatalogEntry {
  id: number;
  name: string;
  types: string[];
}

const ENTRIES: [number, string, string][] = [
  [1, 'bulbasaur', 'grass,poison'],
  [2, 'ivysaur', 'grass,poison'],
  [3, 'venusaur', 'grass,poison'],
  [4, 'charmander', 'fire'],
  [5, 'charmeleon', 'fire'],
  [6, 'charizard', 'fire,flying'],
  [7, 'squirtle', 'water'],
  [8, 'wartortle', 'water'],
  [9, 'blastoise', 'water'],
  [10, 'caterpie', 'bug'],
  [12, 'butterfree', 'bug,flying'],
  [16, 'pidgey', 'normal,flying'],
  [19, 'rattata', 'normal'],
  [22, 'fearow', 'normal,flying'],
  [25, 'pikachu', 'electric'],
  [26, 'raichu', 'electric'],
  [35, 'clefairy', 'fairy'],
  [39, 'jigglypuff', 'normal,fairy'],
  [52, 'meowth', 'normal'],
  [54, 'psyduck', 'water'],
  [63, 'abra', 'psychic'],
  [66, 'machop', 'fighting'],
  [74, 'geodude', 'rock,ground'],
  [79, 'slowpoke', 'water,psychic'],
  [92, 'gastly', 'ghost,poison'],
  [94, 'gengar', 'ghost,poison'],
  [95, 'onix', 'rock,ground'],
  [104, 'cubone', 'ground'],
  [129, 'magikarp', 'water'],
  [130, 'gyarados', 'water,flying'],
  [131, 'lapras', 'water,ice'],
  [133, 'eevee', 'normal'],
  [143, 'snorlax', 'normal'],
  [144, 'articuno', 'ice,flying'],
  [145, 'zapdos', 'electric,flying'],
  [146, 'moltres', 'fire,flying'],
  [147, 'dratini', 'dragon'],
  [149, 'dragonite', 'dragon,flying'],
  [150, 'mewtwo', 'psychic'],
  [151, 'mew', 'psychic'],
];

export const CATALOG: ReadonlyMap<number, CatalogEntry> = new Map(ENTRIES.map(([id, name, types]) => [id, { id, name, types: types.split(',') }]));

export const spriteUrl = (id: number): string => `https://raw.githubusercontent.com/PokeAPI/sprites/master/sprites/pokemon/${id}.png`;
