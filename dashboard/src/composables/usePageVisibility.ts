/** One shared `visible` flag for the whole app: drawing and timers pause while the page is hidden. */
import { getCurrentScope, onScopeDispose, readonly, ref } from 'vue';

const visible = ref(typeof document === 'undefined' ? true : document.visibilityState !== 'hidden');
let users = 0;
const onChange = () => {
  visible.value = document.visibilityState !== 'hidden';
};

export function usePageVisibility() {
  if (users++ === 0) document.addEventListener('visibilitychange', onChange);
  onChange();
  if (getCurrentScope()) {
    onScopeDispose(() => {
      if (--users === 0) document.removeEventListener('visibilitychange', onChange);
    });
  }
  return readonly(visible);
}
