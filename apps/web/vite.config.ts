import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const apiTarget = process.env.KRA_API_URL ?? 'http://127.0.0.1:8000';
const proxied = Object.fromEntries(
  ['/api', '/docs', '/metrics'].map((path) => [path, { target: apiTarget }]),
);

export default defineConfig({
  plugins: [react()],
  server: { proxy: proxied },
  preview: { proxy: proxied },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~1 MB minified; it is cached separately from the app code, so warn only above that.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 40 },
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/,
              priority: 30,
            },
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs)[\\/]/,
              priority: 20,
            },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
            { name: 'contracts', test: /packages[\\/]contracts[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
