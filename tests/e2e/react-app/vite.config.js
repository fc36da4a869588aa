// React's own JSX transform (what @vitejs/plugin-react sets up); nothing for raft-playground.
export default { esbuild: { jsx: 'automatic' } };
