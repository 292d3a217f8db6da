import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The e2e run builds with its own (ephemeral) Supabase URL inlined into `.next/e2e`, so that build
  // never replaces a developer's `npm run build` output in `.next`.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // `npm test` type-checks the whole repository before the e2e build, so that build may skip it.
  typescript: { ignoreBuildErrors: process.env.NEXT_BUILD_SKIP_TYPECHECK === '1' },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
