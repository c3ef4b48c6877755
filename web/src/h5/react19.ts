// antd-mobile 5 renders Toast and Dialog with ReactDOM.render, which React 19 removed. This
// gives it createRoot instead, as antd-mobile's guide for React 19 says
// (unstableSetRender; to go when antd-mobile supports React 19 itself).
import { unstableSetRender } from 'antd-mobile';
import { createRoot, type Root } from 'react-dom/client';

type Container = (Element | DocumentFragment) & { qianbaoRoot?: Root };

unstableSetRender((node, container: Container) => {
  container.qianbaoRoot ??= createRoot(container);
  const root = container.qianbaoRoot;
  root.render(node);
  return async () => {
    // Unmounting during React's own render is refused; wait for the current task to end.
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete container.qianbaoRoot;
  };
});
