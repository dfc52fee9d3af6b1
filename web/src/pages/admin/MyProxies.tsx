import { App } from 'antd';
import ProxiesPage from './Proxies';

/** Anyone: name a proxy for your own absence (admins see everyone's under /admin). */
export default function MyProxies() {
  return (
    <App>
      <div className="page">
        <ProxiesPage mine />
      </div>
    </App>
  );
}
