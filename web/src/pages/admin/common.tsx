import { App } from 'antd';
import type { FormInstance } from 'antd';
import type { CombinedError } from '@urql/core';
import { useTranslation } from 'react-i18next';
import { apiProblem, errorText } from '../../api/errors';

/** Shows a mutation's error: field errors on the form's fields, the rest as a message. */
export function useMutationFeedback() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (error: CombinedError | undefined, form?: FormInstance, fieldMap: Record<string, string> = {}) => {
    const p = apiProblem(error);
    if (!p) return false;
    if (form && p.fields.length) {
      form.setFields(
        p.fields.map((f) => ({
          name: fieldMap[f.field] ?? f.field.replace(/^input\./, ''),
          errors: [t(`errors.${f.code}`, { defaultValue: f.message })],
        })),
      );
    }
    message.error(errorText(t, p));
    return true;
  };
}
