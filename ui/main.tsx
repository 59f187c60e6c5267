import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ExecutionList } from './components/execution-list.js';
import { ExecutionView } from './components/execution-view.js';
import './styles.css';

/** `#/` is the list, `#/execution/ARN` one execution: links work without any server routing. */
function currentRoute(): { view: 'list' } | { view: 'execution'; arn: string } {
  const hash = location.hash.replace(/^#/, '');
  const m = /^\/execution\/(.+)$/.exec(hash);
  return m ? { view: 'execution', arn: decodeURIComponent(m[1]!) } : { view: 'list' };
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return (
    <div class="app">
      <header>
        <a href="#/" class="brand">Stepwise</a>
        <span class="crumb">{route.view === 'execution' ? route.arn : 'Executions'}</span>
      </header>
      {route.view === 'list' ? <ExecutionList /> : <ExecutionView key={route.arn} arn={route.arn} />}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
