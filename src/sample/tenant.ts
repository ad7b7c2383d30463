/** The sample tenant's users: names, home countries, working hours, IP addresses and devices. */
import type { SeededRandom } from './random';

export const TENANT_ID = '5f1c7a9e-3b2d-4c6e-9a8f-0d1e2f3a4b5c';
export const TENANT_DOMAIN = 'contoso-sample.example';

export interface Place {
  readonly city: string;
  readonly state: string;
  readonly countryOrRegion: string;
  readonly latitude: number;
  readonly longitude: number;
  /** UTC hour at which people here start work, in winter time. */
  readonly workStartUtc: number;
}

export const HOME_PLACES: readonly Place[] = [
  { city: 'Berlin', state: 'Berlin', countryOrRegion: 'DE', latitude: 52.52, longitude: 13.405, workStartUtc: 7 },
  { city: 'London', state: 'England', countryOrRegion: 'GB', latitude: 51.507, longitude: -0.128, workStartUtc: 8 },
  { city: 'Paris', state: 'Ile-de-France', countryOrRegion: 'FR', latitude: 48.857, longitude: 2.352, workStartUtc: 7 },
  { city: 'New York', state: 'New York', countryOrRegion: 'US', latitude: 40.713, longitude: -74.006, workStartUtc: 14 },
  { city: 'Seattle', state: 'Washington', countryOrRegion: 'US', latitude: 47.606, longitude: -122.332, workStartUtc: 16 },
];

/** Places the attackers prompt from, far from every home place. */
export const ATTACKER_PLACES: Readonly<Record<string, Place>> = {
  saoPaulo: { city: 'Sao Paulo', state: 'Sao Paulo', countryOrRegion: 'BR', latitude: -23.55, longitude: -46.633, workStartUtc: 12 },
  bucharest: { city: 'Bucharest', state: 'Bucuresti', countryOrRegion: 'RO', latitude: 44.426, longitude: 26.103, workStartUtc: 7 },
  istanbul: { city: 'Istanbul', state: 'Istanbul', countryOrRegion: 'TR', latitude: 41.008, longitude: 28.978, workStartUtc: 6 },
};

/** Where travellers go, in the first week only. */
export const TRAVEL_PLACES: readonly Place[] = [
  { city: 'Madrid', state: 'Madrid', countryOrRegion: 'ES', latitude: 40.417, longitude: -3.704, workStartUtc: 7 },
  { city: 'Toronto', state: 'Ontario', countryOrRegion: 'CA', latitude: 43.653, longitude: -79.383, workStartUtc: 14 },
];

export interface Device {
  readonly deviceId: string;
  readonly displayName: string;
  readonly operatingSystem: string;
  readonly browser: string;
  readonly userAgent: string;
  readonly isCompliant: boolean;
  readonly isManaged: boolean;
  readonly trustType: string;
}

/** Where a user's sign-ins come from and which export writes them. */
export type ExportChannel = 'logAnalytics' | 'graph' | 'entra';

export interface SampleUser {
  readonly index: number;
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly home: Place;
  /** The office address first, the home address second. Both appear in the first week. */
  readonly ipAddresses: readonly string[];
  readonly device: Device;
  readonly channel: ExportChannel;
}

const GIVEN_NAMES = [
  'Ada', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Liam', 'Mara', 'Nils',
  'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sami', 'Tess', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoe',
];
const FAMILY_NAMES = [
  'Adler', 'Brooks', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jansen', 'Keller', 'Larsen',
  'Moreau', 'Novak', 'Okafor', 'Patel', 'Quist', 'Richter', 'Schmidt', 'Tanaka', 'Vogel', 'Weber', 'Young', 'Zimmer',
];

const DEVICE_PROFILES = [
  {
    operatingSystem: 'Windows10',
    browser: 'Edge 131.0.0',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  },
  {
    operatingSystem: 'MacOs',
    browser: 'Safari 18.1',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  },
  {
    operatingSystem: 'Windows10',
    browser: 'Chrome 131.0.0',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
];

/**
 * Returns a documentation-range IPv4 address (RFC 5737) for the user's
 * office or home, so no generated address belongs to a real host. Offices
 * share 198.51.100.0/24 and homes get 192.0.2.0/24 or, past 250 users, IPv6
 * addresses in 2001:db8::/32 (RFC 3849).
 */
function userAddresses(index: number, home: Place): string[] {
  const office = `198.51.100.${10 + HOME_PLACES.indexOf(home)}`;
  const homeAddress = index < 250 ? `192.0.2.${index + 1}` : `2001:db8:${(index >> 16).toString(16)}:${(index & 0xffff).toString(16)}::1`;
  return [office, homeAddress];
}

/** Creates `count` users; which export writes each user's sign-ins is decided by `channelOf`. */
export function createUsers(random: SeededRandom, count: number, channelOf: (index: number) => ExportChannel): SampleUser[] {
  const users: SampleUser[] = [];
  for (let index = 0; index < count; index += 1) {
    const given = GIVEN_NAMES[index % GIVEN_NAMES.length];
    const family = FAMILY_NAMES[Math.floor(index / GIVEN_NAMES.length) % FAMILY_NAMES.length];
    const suffix = index >= GIVEN_NAMES.length * FAMILY_NAMES.length ? String(index) : '';
    const home = random.pick(HOME_PLACES);
    const profile = random.pick(DEVICE_PROFILES);
    users.push({
      index,
      id: random.guid(),
      displayName: `${given} ${family}`,
      userPrincipalName: `${given}.${family}${suffix}@${TENANT_DOMAIN}`.toLowerCase(),
      home,
      ipAddresses: userAddresses(index, home),
      device: {
        deviceId: random.guid(),
        displayName: `CS-${profile.operatingSystem.toUpperCase().slice(0, 3)}-${String(index).padStart(4, '0')}`,
        isCompliant: true,
        isManaged: true,
        trustType: profile.operatingSystem === 'MacOs' ? 'Azure AD registered' : 'Azure AD joined',
        ...profile,
      },
      channel: channelOf(index),
    });
  }
  return users;
}
