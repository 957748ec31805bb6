// The console is served by the DJAM server under /admin/, so every asset URL carries that base.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Libraries in chunks of their own: they change less often than the console, so browsers keep them cached across releases.
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Each group holds only the modules it names; otherwise react-admin's group takes in all its
          // dependencies and passes Vite's 500 kB chunk warning.
          includeDependenciesRecursively: false,
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion|@popperjs)[\\/]/, priority: 20 },
            { name: 'react-admin', test: /node_modules[\\/](react-admin|ra-[a-z0-9-]+)[\\/]/, priority: 15 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
