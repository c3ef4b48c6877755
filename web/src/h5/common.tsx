// Pieces every customer page uses: inputs that carry a test id on the native <input>, the
// error line keyed by the API error code, the log-in guard and the page frame.
import {
  Input,
  NavBar,
  TextArea,
  type InputProps,
  type InputRef,
  type TextAreaProps,
  type TextAreaRef,
} from 'antd-mobile';
import { useEffect, useRef, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';

import { ApiError } from '../api/client';
import { customerSession } from '../api/session';
import { errorMessage } from '../i18n/errors';
import { LanguageToggle, useI18n } from '../i18n/I18nProvider';

/**
 * antd-mobile puts data-* attributes on the wrapper <div>; end-to-end tests fill the <input>,
 * so the test id is set on the native element itself.
 */
export function FieldInput({ testId, ...props }: InputProps & { testId: string }) {
  const ref = useRef<InputRef>(null);
  useEffect(() => {
    ref.current?.nativeElement?.setAttribute('data-testid', testId);
  }, [testId]);
  return <Input ref={ref} {...props} />;
}

/** A TextArea with the test id on the native <textarea>, as FieldInput. */
export function FieldTextArea({ testId, ...props }: TextAreaProps & { testId: string }) {
  const ref = useRef<TextAreaRef>(null);
  useEffect(() => {
    ref.current?.nativeElement?.setAttribute('data-testid', testId);
  }, [testId]);
  return <TextArea ref={ref} {...props} />;
}

/** The message of an API (or other) error, in the current language. */
export function useErrorText(): (error: unknown) => string {
  const { language } = useI18n();
  return (error) => errorMessage(language, error);
}

/**
 * The error line of a form: data-testid="form-error", with the API code in data-error-code
 * so tests can check the cause without depending on the language.
 */
export function FormError({ error, text }: { error?: unknown; text?: string | null }) {
  const describe = useErrorText();
  if ((error === null || error === undefined) && !text) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <p className="h5-page h5-error" data-testid="form-error" data-error-code={code} role="alert">
      {text ?? describe(error)}
    </p>
  );
}

/**
 * Where to go after logging in: `next` when it is a path of this app ("/pay?qr=…"), else /home.
 * Anything that could leave the site ("//evil.example", "https:…") is ignored.
 */
export function afterLogInPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) {
    return '/home';
  }
  return next;
}

/**
 * Renders the page only with a customer session; otherwise goes to the log-in page, which comes
 * back here afterwards (?next=).
 */
export function RequireCustomer({ children }: { children: ReactNode }) {
  const location = useLocation();
  if (customerSession.token() === null) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}

/** A page with a title bar whose back arrow goes to `back` (default: the wallet home). */
export function H5Page({
  title,
  back = '/home',
  children,
}: {
  title: string;
  back?: string;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  return (
    <>
      <NavBar onBack={() => navigate(back)} right={<LanguageToggle />}>
        {title}
      </NavBar>
      {children}
    </>
  );
}
