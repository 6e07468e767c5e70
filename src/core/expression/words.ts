// Small word lists for the fake-data functions; enough variety for test data, no faker dependency.

export const FIRST_NAMES: readonly string[] = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Ben', 'Carla', 'Chen', 'Dara', 'Diego', 'Elena', 'Emil', 'Fatima', 'Grace', 'Hana',
  'Ivan', 'Jonas', 'Kai', 'Lena', 'Liam', 'Maya', 'Nadia', 'Noah', 'Olga', 'Omar', 'Priya', 'Rosa', 'Sam', 'Tomas',
  'Uma', 'Yara',
];

export const LAST_NAMES: readonly string[] = [
  'Alvarez', 'Baker', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Kowalski', 'Larsen',
  'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Varga', 'Weber', 'Yilmaz',
  'Zhang',
];

export const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.org', 'example.net', 'test.example'];
