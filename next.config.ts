import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The e2e run builds with its own (ephemeral) Supabase URL inlined; a separate folder keeps that
  // build from being mistaken for a developer's `npm run build`.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
