import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';

import { I18nProvider } from './i18n/I18nProvider';
import './styles.css';

// Each area is its own chunk: customers never download antd, staff and merchants never
// download antd-mobile.
const H5App = lazy(() => import('./h5/H5App'));
const ConsoleApp = lazy(() => import('./console/ConsoleApp'));
const MerchantApp = lazy(() => import('./merchant/MerchantApp'));

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <BrowserRouter>
        <Suspense fallback={<div className="loading">…</div>}>
          <Routes>
            <Route path="/console/*" element={<ConsoleApp />} />
            <Route path="/merchant/*" element={<MerchantApp />} />
            <Route path="/*" element={<H5App />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </I18nProvider>
  </StrictMode>,
);
