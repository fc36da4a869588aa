// A React page using the recipe's wrapper (RaftPlayground.jsx, written by the spec from docs.html);
// the button changes a prop after the first render.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { RaftPlayground } from './RaftPlayground.jsx';

function App() {
  const [nodes, setNodes] = useState(3);
  return (
    <>
      <button type="button" id="five" onClick={() => setNodes(5)}>5 servers</button>
      <RaftPlayground nodes={nodes} seed={7} lang="zh" />
    </>
  );
}

createRoot(document.getElementById('root')).render(<App />);
