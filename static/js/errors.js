// errors.js: what a refused command means, in Vietnamese. The server's
// errors carry a stable code (controller/error.go); their English message
// is for the logs. The page knows which command it sent, which is enough to
// say precisely what went wrong.

const BY_CODE = {
  invalid: 'Lệnh không hợp lệ.',
  not_found: 'Không tìm thấy mục này trong chương trình.',
  conflict: 'Trạng thái vừa thay đổi (có thể người điều khiển khác vừa thao tác). Hãy xem lại rồi thử lại.',
  not_armed: 'Nút phát động chưa được kích hoạt.',
  duplicate: 'Đã phát động rồi.',
  unauthorized: 'Mã điều khiển không đúng.',
  forbidden: 'Không được phép thực hiện thao tác này.',
  too_large: 'Nội dung quá dài.',
  rate_limited: 'Thử sai quá nhiều lần. Hãy đợi một lát rồi thử lại.',
  internal: 'Lỗi máy chủ: thao tác chưa được lưu. Hãy thử lại.',
  unavailable: 'Máy chủ đang dừng hoặc khởi động lại. Hãy thử lại sau giây lát.',
  offline: 'Mất kết nối với máy chủ: lệnh CHƯA được gửi.',
  not_primary: 'Máy này là máy dự phòng: lệnh phải gửi ở máy chính.',
  timeout: 'Máy chủ không trả lời: chưa rõ lệnh đã được thực hiện hay chưa. Hãy kiểm tra rồi thử lại.',
};

// Messages for a code when it follows a given command type.
const BY_COMMAND = {
  conflict: {
    start: 'Đồng hồ đã chạy rồi.',
    pause: 'Đồng hồ không chạy nên không tạm dừng được.',
    resume: 'Đồng hồ không ở trạng thái tạm dừng.',
    arm: 'Nút phát động đã được kích hoạt rồi.',
    disarm: 'Nút phát động chưa được kích hoạt.',
    'clear-message': 'Không có tin nhắn nào để xóa.',
    'reset-launch': 'Phát động đang ở trạng thái ban đầu rồi.',
  },
  duplicate: {
    arm: 'Đã phát động rồi. Muốn kích hoạt lại phải đặt lại phát động (chỉ trong chế độ tập dượt).',
    fire: 'Đã phát động rồi.',
    press: 'Nút này đã được ghi nhận.',
  },
  forbidden: {
    'reset-launch': 'Chỉ đặt lại phát động được khi đang ở chế độ tập dượt.',
  },
  invalid: {
    'add-time': 'Không bớt được: thời lượng của mục sẽ nhỏ hơn 0.',
    message: 'Tin nhắn trống hoặc quá dài (tối đa 500 ký tự).',
  },
};

// Labels of commands, for "… không thực hiện được".
export const COMMAND_LABELS = {
  next: 'Chuyển mục sau',
  previous: 'Quay lại mục trước',
  goto: 'Chuyển mục',
  start: 'Bắt đầu',
  pause: 'Tạm dừng',
  resume: 'Tiếp tục',
  'reset-timer': 'Đặt lại đồng hồ',
  'add-time': 'Chỉnh thời gian',
  message: 'Gửi tin nhắn',
  'clear-message': 'Xóa tin nhắn',
  blackout: 'Tắt/bật màn chiếu',
  arm: 'Kích hoạt phát động',
  disarm: 'Hủy kích hoạt',
  fire: 'Phát động dự phòng',
  'reset-launch': 'Đặt lại phát động',
  rehearsal: 'Chế độ tập dượt',
  press: 'Bấm nút',
};

// codeOf finds the code of an error from the link, an answer or fetch.
export function codeOf(err) {
  if (!err) return '';
  if (typeof err === 'string') return err;
  if (err.code) return err.code;
  if (err.error && err.error.code) return err.error.code;
  return '';
}

// vnError is the Vietnamese message for err, which answered a command of
// type cmdType ('' when unknown).
export function vnError(err, cmdType = '') {
  const code = codeOf(err);
  const specific = BY_COMMAND[code] && BY_COMMAND[code][cmdType];
  const text = specific || BY_CODE[code] || 'Lệnh không thực hiện được. Hãy kiểm tra kết nối rồi thử lại.';
  const label = COMMAND_LABELS[cmdType];
  return label ? `${label}: ${text}` : text;
}
