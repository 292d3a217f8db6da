/** The app version reported by /api/realtime/health: the `version` field of package.json. */
import packageJson from '@/package.json';

export const APP_VERSION: string = packageJson.version;
